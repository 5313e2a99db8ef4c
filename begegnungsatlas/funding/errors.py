from begegnungsatlas.core.errors import DomainError


class FundingError(DomainError):
    """A domain error of the funding workflow; its (German) message is shown to the user as it is."""
