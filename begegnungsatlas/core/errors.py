"""The one base class of domain errors.

A service raises a subclass of :class:`DomainError` when the input or the request cannot be carried out; the
message is in the user's language (German msgids through gettext) and is shown unchanged. Views catch
``DomainError`` (or the app's subclass), show the message and change nothing. Being a ``ValueError``, a domain
error also fits code that validates values (forms, importers) without a second ``except`` clause.

Each app keeps its own subclass in ``<app>/errors.py`` (``PlaceError``, ``AtlasError``, ``FundingError`` …) so that a
view can catch exactly its own errors; see ``docs/architecture.md``.
"""

from __future__ import annotations


class DomainError(ValueError):
    """Invalid input or a request the domain cannot carry out; the message is meant for the user."""
