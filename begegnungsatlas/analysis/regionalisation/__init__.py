"""Regionalisation into Sozialräume: contiguity graphs, max-p and SKATER-like and contiguity-constrained Ward regions.

>>> from begegnungsatlas.analysis.regionalisation import max_p_regions, skater_regions
"""

from ._common import RegionalisationResult, regions_are_contiguous, within_region_ssd
from .contiguity import connect_components, contiguity_from_polygons, drop_cross_group_links
from .maxp import max_p_regions
from .presets import interactive_maxp_settings
from .skater import skater_regions
from .ward import ward_regions

__all__ = [
    "RegionalisationResult",
    "connect_components",
    "contiguity_from_polygons",
    "drop_cross_group_links",
    "interactive_maxp_settings",
    "max_p_regions",
    "regions_are_contiguous",
    "skater_regions",
    "ward_regions",
    "within_region_ssd",
]
