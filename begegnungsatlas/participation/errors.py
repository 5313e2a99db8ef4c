from begegnungsatlas.core.errors import DomainError


class ParticipationError(DomainError):
    """A domain error of surveys and citizens' reports; its (German) message is shown as it is."""


class RateLimited(ParticipationError):
    """Too many submissions from one client within the hour."""
