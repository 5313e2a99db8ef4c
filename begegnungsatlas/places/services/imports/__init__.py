"""Import of places and context layers from GeoJSON, CSV/XLSX (German conventions) and OpenStreetMap extracts.

Read a file (:func:`read_source`), map its columns (:func:`default_mapping`), then plan (``dry_run=True``) or
write all or nothing (:func:`places_import`, :func:`context_features_import`); :func:`import_file` does both.
"""

from .errors import ImportAborted, ImportFileError
from .mapping import CONTEXT_FIELDS, PLACE_FIELDS, guess_mapping, parse_mapping_args
from .readers import FORMAT_LABELS, detect_format, read_source
from .result import ImportResult, RowPlan
from .service import context_features_import, default_mapping, import_file, places_import
from .table import RawRow, SourceTable

__all__ = [
    "CONTEXT_FIELDS", "FORMAT_LABELS", "PLACE_FIELDS", "ImportAborted", "ImportFileError", "ImportResult", "RawRow",
    "RowPlan", "SourceTable", "context_features_import", "default_mapping", "detect_format", "guess_mapping",
    "import_file", "parse_mapping_args", "places_import", "read_source",
]
