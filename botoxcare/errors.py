"""Refusals: what services raise and pages show when the clinic's rules say no.

A refusal is a value, not a sentence (in the spirit of pretix's `error_messages`): a stable
`code` that code and tests branch on, the `message` a clinician reads, and where it belongs to
one, the form `field` it is about. Only templates show the sentence; nothing parses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Refusal:
    """One reason a request is refused.

    `subject` names what the sentence is about when that is part of a larger form (a muscle's
    row, say): a field shows `message` beside its own label, a list shows `text`.
    """

    code: str
    message: str
    field: str = ""
    subject: str = ""

    @property
    def text(self) -> str:
        return f"{self.subject}: {self.message}" if self.subject else self.message

    def __str__(self) -> str:
        return self.text


class DomainError(Exception):
    """A request the clinic's rules refuse, with every reason at once; changes nothing.

    `summary` introduces a list of reasons ("This step cannot be taken yet:"); with a single
    refusal it may be left out.
    """

    def __init__(self, *refusals: Refusal, summary: str = "") -> None:
        if not refusals:
            raise ValueError("a DomainError needs at least one refusal")
        self.refusals = list(refusals)
        self.summary = summary
        super().__init__(str(self))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.refusals]

    def __str__(self) -> str:
        return " ".join([self.summary, *(r.text for r in self.refusals)]).strip()


def refuse(code: str, message: str, *, field: str = "", subject: str = "") -> DomainError:
    """The error for a single refusal: `raise refuse(Reason.X, "…", field="…")`."""
    return DomainError(Refusal(code, message, field=field, subject=subject))


def raise_if(refusals: Iterable[Refusal], *, summary: str) -> None:
    """Raise DomainError with all of `refusals`, if there are any."""
    found = list(refusals)
    if found:
        raise DomainError(*found, summary=summary)
