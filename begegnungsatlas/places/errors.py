from begegnungsatlas.core.errors import DomainError


class PlaceError(DomainError):
    """A domain error about places; its message is shown to the user as it is (German by default)."""
