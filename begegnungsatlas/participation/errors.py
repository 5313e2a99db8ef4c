class ParticipationError(ValueError):
    """A domain error of surveys and citizens' reports; its (German) message is shown as it is."""


class RateLimited(ParticipationError):
    """Too many submissions from one client within the hour."""
