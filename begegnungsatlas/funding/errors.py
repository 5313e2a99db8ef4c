class FundingError(ValueError):
    """A domain error of the funding workflow; its (German) message is shown to the user as it is."""
