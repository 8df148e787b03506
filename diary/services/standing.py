"""Each patient's diary standing (`DiaryStanding`): the flags of the patient page, judged by
the same selectors and rules and stored, so that the clinician's list of flagged patients
reads an index, not two years of every patient's entries.

A standing is refreshed after each diary write commits (`standing_queue`, a task given the
patient's id) and every night for every patient who has one or wrote in the flags' window
(`diary_standings_sweep`): the periods move with the day, and a session recorded or the
clinic's rules changed move the flags without a diary write. A refresh is derived data, not
a change anyone made, so it leaves no audit entry; the list's reads are audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from celery import shared_task
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from botoxcare.models import ClinicSettings
from patients.models import Patient
from treatments.models import Course, State

from ..figures import diary_flags, flag_periods
from ..models import DiaryEntry, DiaryStanding
from ..reasons import Flag, flag_rank
from ..selectors import diary_summary

logger = logging.getLogger(__name__)

# Patients refreshed by one task of the nightly sweep.
SWEEP_CHUNK = 200
# A month's most days: how far back an entry makes a patient worth a standing.
_LONGEST_PERIOD = 31


def diary_standing_refresh(*, patient_id: int, today: date | None = None) -> DiaryStanding | None:
    """Judge `patient_id`'s diary as of `today` (the clinic's today by default) as the
    patient page does, and store it. None when the patient no longer exists."""
    patient = Patient.objects.select_related("clinic__settings").filter(pk=patient_id).first()
    if patient is None:
        return None
    today = today or timezone.localdate()
    rules = patient.clinic.settings
    course = Course.objects.filter(patient=patient).order_by("-started_on", "-id").first()
    summary = diary_summary(
        patient=patient, course=course, rules=rules, end=today, count=flag_periods(rules)
    )
    met = {f.code: f.why for f in diary_flags(summary, rules) if f.met}
    latest = summary.periods[-1] if summary.periods else None
    cycle = summary.latest_cycle
    change = cycle.response.change_percent if cycle else None
    values = {
        "clinic_id": patient.clinic_id,
        "as_of": today,
        "refreshed_at": timezone.now(),
        "active": course is not None and course.state != State.DISCONTINUED,
        "flagged": bool(met),
        "rank": flag_rank(set(met)),
        "name_key": name_key(patient),
        **{code.value: code in met for code in Flag},
        "why": {code.value: why for code, why in met.items()},
        "period_start": latest.start if latest else None,
        "period_end": latest.end if latest else None,
        "recorded_days": latest.recorded_days if latest else 0,
        "headache_days": latest.headache_days if latest else 0,
        "migraine_days": latest.migraine_days if latest else 0,
        "cycles": len(summary.cycles),
        "change_percent": None if change is None else _tenths(change),
        "last_entry_day": DiaryEntry.objects.filter(patient=patient).aggregate(last=Max("day"))[
            "last"
        ],
    }
    with transaction.atomic():
        standing, _ = DiaryStanding.objects.update_or_create(patient=patient, defaults=values)
    return standing


def name_key(patient: Patient) -> str:
    """The patient's name as the list sorts it: family name, then given name, case folded."""
    return f"{patient.last_name} {patient.first_name}".casefold()[:202]


def _tenths(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def diary_standings_refresh(patient_ids: Iterable[int], *, today: date | None = None) -> int:
    """Refresh each of `patient_ids`; one patient's failure is logged and the rest go on.
    Returns how many were refreshed."""
    done = 0
    for pk in patient_ids:
        try:
            if diary_standing_refresh(patient_id=pk, today=today) is not None:
                done += 1
        except Exception:  # one patient's failure never stops the sweep
            logger.exception("diary standing of patient %s not refreshed", pk)
    return done


def standing_candidates(*, today: date) -> list[int]:
    """Every patient with a standing, or with a diary entry in the longest window the flags
    read (so a diary imported or seeded in bulk is found too), in id order."""
    longest = max(
        (flag_periods(rules) for rules in ClinicSettings.objects.all()),
        default=flag_periods(ClinicSettings()),
    )
    since = today - timedelta(days=_LONGEST_PERIOD * longest)
    written = DiaryEntry.objects.filter(day__gte=since).values_list("patient_id", flat=True)
    kept = DiaryStanding.objects.values_list("patient_id", flat=True)
    return sorted(set(written.distinct()) | set(kept))


def _chunks(ids: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def diary_standings_sweep(*, today: date | None = None) -> int:
    """The nightly sweep: queue a refresh of every candidate in chunks (ids, not objects).
    Returns how many patients were queued."""
    today = today or timezone.localdate()
    ids = standing_candidates(today=today)
    for chunk in _chunks(ids, SWEEP_CHUNK):
        diary_standings_refresh_task.delay(chunk, today.isoformat())
    return len(ids)


def standing_queue(patient_id: int) -> None:
    """Refresh the patient's standing once the current transaction commits; call it in the
    transaction of a diary write. A refresh that fails is logged (the write stands) and made
    by the nightly sweep."""

    def standing_refresh_queue() -> None:
        # A named function: Django logs a robust callback's failure by its __qualname__.
        diary_standing_refresh_task.delay(patient_id)

    transaction.on_commit(standing_refresh_queue, robust=True)


# The tasks live beside the services that queue them (diary/tasks.py re-exports them for the
# worker and beat): a service importing diary.tasks would import itself back.
@shared_task(
    name="diary.tasks.diary_standing_refresh",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def diary_standing_refresh_task(patient_id: int) -> None:
    diary_standing_refresh(patient_id=patient_id)


@shared_task(
    name="diary.tasks.diary_standings_refresh",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def diary_standings_refresh_task(patient_ids: list[int], today: str | None = None) -> int:
    return diary_standings_refresh(patient_ids, today=date.fromisoformat(today) if today else None)


@shared_task(
    name="diary.tasks.diary_standings_sweep",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
)
def diary_standings_sweep_task() -> int:
    return diary_standings_sweep()
