"""Domain errors of the Sozialraum app; messages are German and shown to the planner as they are."""

from begegnungsatlas.core.errors import DomainError


class SozialraumError(DomainError):
    """Bad input or a change the Sozialraum layout cannot take; nothing was stored."""
