from .areas import Area, AreaLevel, AreaMembership, Region
from .indicators import Derivation, Indicator, IndicatorKind, IndicatorValue, Polarity, ValueStatus

__all__ = [
    "Area", "AreaLevel", "AreaMembership", "Derivation", "Indicator", "IndicatorKind", "IndicatorValue", "Polarity", "Region",
    "ValueStatus",
]
