"""Domain errors of the gap analysis; messages are German and shown to the planner as they are."""

from begegnungsatlas.core.errors import DomainError


class GapsError(DomainError):
    """Bad input or a request the gap analysis cannot answer; nothing was stored."""
