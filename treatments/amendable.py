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

from django.db import models

from botoxcare.roles import Action

from .models import Aftercare, Consultation, InjectionSession, PreparationReview


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
