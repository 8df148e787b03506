"""Domain errors that services raise and views turn into messages on the page."""

from __future__ import annotations

from collections.abc import Sequence


class DomainError(Exception):
    """A request that the clinic's rules refuse; `reasons` explain why, in plain words."""

    def __init__(self, message: str, reasons: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.reasons = list(reasons)

    def __str__(self) -> str:
        return " ".join([self.message, *self.reasons])
