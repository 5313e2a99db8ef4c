"""Domain errors of the atlas: the message is German and is shown to the user unchanged."""

from begegnungsatlas.core.errors import DomainError


class AtlasError(DomainError):
    """Invalid input or a request the atlas cannot answer correctly."""


class ImportRejected(AtlasError):
    """An import was refused as a whole; ``problems`` lists every rejected cell with its reason."""

    def __init__(self, message: str, problems: list[dict[str, str]] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or []
