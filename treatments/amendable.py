"""Which fields of which signed clinical record an amendment may correct, in one table: the
service (services/amendments.py), the form, the pages and the docs read it.

Left out on purpose, and why:

- dates of care (`seen_on`, `reviewed_on`, `session_date`, `issued_on`): the re-treatment
  window, the reminders and the cycles are counted from them; a wrong date is a new record.
- a consultation's decision, its confirmation of chronic migraine and of the discussion: the
  steps taken after them stand on them; a changed decision is a new consultation.
- a preparation review's flagged interacting medicines: a clinician clears them before the
  injection; a newly found one is a new review. (Its bleeding risks, which block nothing, may
  be corrected.)
- a session's sites, units and vials: the units given must equal the sites' total and every
  vial's units be given or discarded, judged together with the dose limits by the session's
  guard; a correction of one row is a correction of several, which this form does not take.
- aftercare's instructions: they are what the patient was given (and the PDF they kept).
- a consent: it is a signed copy of a text and is never amended; it is withdrawn, and renewed
  with a new signature (services/withdrawal.py, the renew step).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models

from botoxcare.roles import Action

from .models import Aftercare, Amendment, Consultation, InjectionSession, PreparationReview


@dataclass(frozen=True)
class Amendable:
    kind: str  # in the amendment page's URL and in Amendment.record_key
    model: type[models.Model]
    action: Action  # who may amend: who may record this kind of record
    title: str
    fields: dict[str, str]  # field -> its label, in the form's order


AMENDABLE: dict[str, Amendable] = {
    a.kind: a
    for a in (
        Amendable(
            "consultation",
            Consultation,
            Action.RECORD_CONSULTATION,
            "Consultation",
            {
                "history": "History",
                "previous_preventives": "Notes on previous preventives",
                "headache_days_per_month": "Headache days per month",
                "migraine_days_per_month": "Days with migraine features per month",
                "pattern_months": "How many months this pattern has lasted",
                "medication_overuse": "Medication overuse",
                "notes": "Notes",
            },
        ),
        Amendable(
            "preparation",
            PreparationReview,
            Action.RECORD_PREPARATION,
            "Preparation review",
            {
                "current_medicines": "Current medicines",
                "anticoagulants": "Takes anticoagulants",
                "antiplatelets": "Takes antiplatelets",
                "bleeding_supplements": "Takes supplements that increase bruising or bleeding",
                "advice": "Advice given",
            },
        ),
        Amendable(
            "session",
            InjectionSession,
            Action.RECORD_INJECTION,
            "Injection session",
            {
                "started_at": "Started at",
                "ended_at": "Ended at",
                "position": "Position",
                "skin_cleansed": "Injection areas cleansed",
                "needle_gauge": "Needle gauge",
                "reaction": "Immediate reaction",
                "reaction_action": "What was done about it",
                "tolerability": "Tolerability",
            },
        ),
        Amendable(
            "aftercare",
            Aftercare,
            Action.ISSUE_AFTERCARE,
            "Aftercare",
            {"comfort_measures": "Comfort measures"},
        ),
    )
}


def amendable_of(record: models.Model) -> Amendable:
    """The table's row for a record (a KeyError for a kind not amended, such as a consent)."""
    for amendable in AMENDABLE.values():
        if isinstance(record, amendable.model):
            return amendable
    raise KeyError(type(record).__name__)


def value_shown(kind: str, name: str, value: object) -> str:
    """A value an amendment kept (as JSON: a choice's value, a time as text), as the record's
    page words it."""
    if value is None or value == "":
        return "not recorded"
    if isinstance(value, bool):
        return "yes" if value else "no"
    field = AMENDABLE[kind].model._meta.get_field(name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))  # type: ignore[union-attr]
    if isinstance(field, models.TimeField):
        return str(value)[:5]
    return str(value)


@dataclass(frozen=True)
class ChangeShown:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AmendmentShown:
    """One amendment as the pages show it beside its record: who, when, why, what changed."""

    by: Any
    at: datetime
    reason: str
    changes: list[ChangeShown]


def amendment_shown(amendment: Amendment) -> AmendmentShown:
    kind = amendment.record_key[0]
    return AmendmentShown(
        by=amendment.by,
        at=amendment.at,
        reason=amendment.reason,
        changes=[
            ChangeShown(
                str(change["label"]),
                value_shown(kind, name, change["before"]),
                value_shown(kind, name, change["after"]),
            )
            for name, change in amendment.changes.items()
        ],
    )
