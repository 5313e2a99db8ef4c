from begegnungsatlas.core.errors import DomainError


class MeasureError(DomainError):
    """A domain error about the Werkzeugkatalog; its (German) message is shown to the user as it is."""
