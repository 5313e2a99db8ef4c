from .areas import Area, AreaLevel, Region

__all__ = ["Area", "AreaLevel", "Region"]
