class MeasureError(ValueError):
    """A domain error about the Werkzeugkatalog; its (German) message is shown to the user as it is."""
