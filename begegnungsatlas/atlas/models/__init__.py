from .areas import Area, AreaLevel, AreaMembership, Region, related_geometry
from .imports import ValueImport
from .indicators import Derivation, Indicator, IndicatorKind, IndicatorValue, Polarity, ValueStatus

__all__ = [
    "Area", "AreaLevel", "AreaMembership", "Derivation", "Indicator", "IndicatorKind", "IndicatorValue", "Polarity",
    "Region", "ValueImport", "ValueStatus", "related_geometry",
]
