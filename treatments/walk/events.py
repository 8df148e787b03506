"""The steps of a walk along the pathway, as plain frozen values: what was done, by whom
(a role, not a person), when, and every value the service that records it needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

Role = Literal["clinician", "nurse", "reception"]


@dataclass(frozen=True)
class Register:
    """The patient is referred: registered, with a course at step 1 from `referred_on`."""

    identifier: str
    first_name: str
    last_name: str
    date_of_birth: date
    phone: str
    email: str
    preferred_channel: str
    referred_on: date
    by: Role = "reception"


@dataclass(frozen=True)
class Book:
    """A visit booked outside aftercare (the consultation), with the responsible clinician."""

    kind: str
    starts_at: datetime
    minutes: int
    room: str = ""
    by: Role = "nurse"


@dataclass(frozen=True)
class Attend:
    """The last visit of this kind that was booked is closed as attended."""

    kind: str
    by: Role = "nurse"


@dataclass(frozen=True)
class Consult:
    """Step 1 recorded; `record` holds consultation_record's keyword arguments (seen_on …);
    `preventives` the patient's preventive history added first (preventive_treatment_add's
    keyword arguments), which the start rule counts."""

    record: Mapping[str, Any]
    now: datetime
    by: Role = "clinician"
    preventives: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Transition:
    """A transition with no record of its own: complete_evaluation, decline, record_consent."""

    name: str
    now: datetime
    reason: str = ""
    by: Role = "clinician"


@dataclass(frozen=True)
class Prepare:
    reviewed_on: date
    advice: str
    flags: Mapping[str, bool]
    now: datetime
    current_medicines: str = ""
    by: Role = "nurse"


@dataclass(frozen=True)
class SignPaper:
    signer_name: str
    signed_on: date
    now: datetime
    by: Role = "nurse"


@dataclass(frozen=True)
class Vial:
    """One vial of a session; `lot` is an index into the clinic's lots."""

    lot: int
    diluent_ml: Decimal
    reconstituted_at: datetime
    units_given: int
    units_discarded: int = 0


@dataclass(frozen=True)
class Inject:
    """A session: its vials, and `sites`: muscle -> (sites, units)."""

    session_date: date
    vials: tuple[Vial, ...]
    sites: Mapping[str, tuple[int, int]]
    now: datetime
    tolerability: str = ""
    by: Role = "clinician"


@dataclass(frozen=True)
class IssueAftercare:
    issued_on: date
    comfort_measures: str
    follow_up_at: datetime
    now: datetime
    follow_up_minutes: int | None = None  # the clinic's follow-up length
    by: Role = "nurse"


@dataclass(frozen=True)
class StartMaintenance:
    now: datetime
    by: Role = "nurse"


@dataclass(frozen=True)
class Review:
    """The last cycle's response reviewed and the next cycle opened (start_retreatment)."""

    reviewed_on: date
    notes: str
    headache_days_per_month: int | None
    now: datetime
    override_reason: str = ""
    by: Role = "clinician"


@dataclass(frozen=True)
class Discontinue:
    reason: str
    detail: str
    now: datetime
    by: Role = "clinician"


Event = (
    Register
    | Book
    | Attend
    | Consult
    | Transition
    | Prepare
    | SignPaper
    | Inject
    | IssueAftercare
    | StartMaintenance
    | Review
    | Discontinue
)


def fired(event: Event) -> str | None:
    """The pathway transition recording this event fires, if any."""
    if isinstance(event, Transition):
        return event.name
    return {
        Inject: "record_injection",
        StartMaintenance: "start_maintenance",
        Review: "start_retreatment",
        Discontinue: "discontinue",
    }.get(type(event))


@dataclass(frozen=True)
class History:
    """One patient's walk: `clinician` indexes the team's clinicians (the responsible one)."""

    target: str
    cycles: int
    clinician: int
    events: tuple[Event, ...]

    @property
    def register(self) -> Register:
        first = self.events[0]
        if not isinstance(first, Register):
            raise ValueError("a history starts with the patient's registration")
        return first
