"""Errors of the importer. Their message is German and shown to the user as it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...errors import PlaceError

if TYPE_CHECKING:  # pragma: no cover
    from .result import ImportResult


class ImportFileError(PlaceError):
    """The file as a whole cannot be read: wrong type, malformed, wrong encoding, too big."""


class ImportAborted(PlaceError):
    """A strict import found bad rows (or the caller stopped it): nothing was written."""

    def __init__(self, message: str, result: ImportResult) -> None:
        super().__init__(message)
        self.result = result
