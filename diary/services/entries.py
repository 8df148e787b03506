"""Recording and changing a day of the headache diary: one day in full, "no headache today"
in one call, and the missing days of the last fortnight at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from botoxcare.audit import changes, log_action
from botoxcare.errors import Refusal, raise_if, refuse
from patients.models import Patient

from ..models import AcuteMedicine, DiaryAmendment, DiaryEntry, DiaryEntryMedicine
from ..reasons import Reason
from .standing import standing_queue
from .writing import day_refusal, diary_start, writer_on_behalf

FEATURES = (
    "throbbing",
    "one_sided",
    "worse_with_activity",
    "nausea",
    "light_sound_sensitivity",
    "aura",
)
DETAIL_FIELDS = ("started_at", "duration_hours", "severity", "pain_score", "activity_effect")
# The days "fill in missing days" offers: today and the 13 before it.
BACKFILL_DAYS = 14
MAX_DOSES = 20


@dataclass(frozen=True)
class DayRecord:
    """What a person says about one day. `medicines` maps an AcuteMedicine id to its doses."""

    headache: bool
    started_at: time | None = None
    duration_hours: Decimal | None = None
    severity: str = ""
    pain_score: int | None = None
    features: frozenset[str] = frozenset()
    medicines: Mapping[int, int] = field(default_factory=dict)
    activity_effect: str = ""
    note: str = ""


def entry_snapshot(entry: DiaryEntry) -> dict[str, Any]:
    """An entry as an amendment keeps it: its fields and the medicines taken ({id: doses})."""
    return {
        "headache": entry.headache,
        "started_at": entry.started_at.isoformat() if entry.started_at else None,
        "duration_hours": str(entry.duration_hours) if entry.duration_hours is not None else None,
        "severity": entry.severity,
        "pain_score": entry.pain_score,
        **{name: getattr(entry, name) for name in FEATURES},
        "activity_effect": entry.activity_effect,
        "note": entry.note,
        "medicines": {str(m.medicine_id): m.doses for m in entry.medicines.all()},
    }


def _record_refusals(
    patient: Patient, record: DayRecord, kept: frozenset[int] = frozenset()
) -> list[Refusal]:
    """What is wrong with `record`; `kept` are medicines the day already has (taken off the
    list since, they stay on the day)."""
    found = []
    if not record.headache and (
        any(getattr(record, f) not in (None, "") for f in DETAIL_FIELDS[:4]) or record.features
    ):
        found.append(
            Refusal(
                Reason.DETAILS_WITHOUT_HEADACHE,
                "A day without headache has no start, duration, severity or features.",
                field="headache",
            )
        )
    if record.duration_hours is not None and not 0 <= record.duration_hours <= 24:
        found.append(
            Refusal(
                Reason.DURATION_OUT_OF_RANGE,
                "A day's headache lasts from 0 to 24 hours.",
                field="duration_hours",
            )
        )
    if record.pain_score is not None and not 0 <= record.pain_score <= 10:
        found.append(
            Refusal(
                Reason.PAIN_SCORE_OUT_OF_RANGE, "Pain is scored from 0 to 10.", field="pain_score"
            )
        )
    if any(not 1 <= d <= MAX_DOSES for d in record.medicines.values()):
        found.append(
            Refusal(
                Reason.DOSES_OUT_OF_RANGE,
                f"Doses of a medicine in a day are from 1 to {MAX_DOSES}.",
                field="medicines",
            )
        )
    known = set(
        AcuteMedicine.objects.filter(
            patient=patient, pk__in=list(record.medicines), active=True
        ).values_list("pk", flat=True)
    )
    if set(record.medicines) - known - kept:
        found.append(
            Refusal(
                Reason.MEDICINE_NOT_ON_LIST,
                "Medicines are chosen from the patient's own list of acute medicines.",
                field="medicines",
            )
        )
    return found


def _write(entry: DiaryEntry, record: DayRecord) -> None:
    entry.headache = record.headache
    entry.started_at = record.started_at
    entry.duration_hours = record.duration_hours
    entry.severity = record.severity
    entry.pain_score = record.pain_score
    for name in FEATURES:
        setattr(entry, name, name in record.features)
    entry.activity_effect = record.activity_effect
    entry.note = record.note.strip()
    entry.save()
    entry.medicines.all().delete()
    DiaryEntryMedicine.objects.bulk_create(
        DiaryEntryMedicine(entry=entry, medicine_id=pk, doses=doses)
        for pk, doses in sorted(record.medicines.items())
    )


def needs_amendment(*, patient: Patient, day: date, today: date) -> bool:
    """Whether a change to an existing entry of `day` is past the clinic's edit window."""
    return (today - day).days > patient.clinic.settings.diary_edit_days


def diary_entry_record(
    *,
    patient: Patient,
    by: Any,
    day: date,
    record: DayRecord,
    reason: str = "",
    today: date | None = None,
) -> DiaryEntry:
    """Record `day` of `patient`'s diary, or change its entry. The patient writes their own;
    staff of their clinic with the ENTER_DIARY role write on their behalf (marked so). A
    change more than `diary_edit_days` after the day is an amendment: it needs `reason`, and
    a DiaryAmendment keeps the entry as it was. Raises DomainError for a day in the future,
    before the course or birth, details on a day without headache, figures out of range, a
    medicine not on the patient's list, a late change without a reason, or a writer who may
    not."""
    today = today or timezone.localdate()
    on_behalf = writer_on_behalf(patient=patient, by=by)
    found = [r for r in [day_refusal(patient=patient, day=day, today=today)] if r]
    kept = frozenset(
        DiaryEntryMedicine.objects.filter(entry__patient=patient, entry__day=day).values_list(
            "medicine_id", flat=True
        )
    )
    found += _record_refusals(patient, record, kept)
    raise_if(found, summary="This diary day cannot be saved:")
    with transaction.atomic():
        entry = (
            DiaryEntry.objects.select_for_update()
            .prefetch_related("medicines")
            .filter(patient=patient, day=day)
            .first()
        )
        if entry is None:
            entry = DiaryEntry(patient=patient, day=day, entered_by=by, on_behalf=on_behalf)
            _write(entry, record)
            standing_queue(patient.pk)
            log_action(
                "diary.entry_recorded",
                user=by,
                patient=patient,
                target=entry,
                data={"day": day, "headache": record.headache, "on_behalf": on_behalf},
            )
            return entry
        before = entry_snapshot(entry)
        late = needs_amendment(patient=patient, day=day, today=today)
        if late and not reason.strip():
            raise refuse(
                Reason.AMENDMENT_NEEDS_REASON,
                f"This day is more than {patient.clinic.settings.diary_edit_days} days ago: "
                "please say why it is changed (the original is kept).",
                field="reason",
            )
        entry.entered_by, entry.on_behalf = by, on_behalf
        entry.updated_at = timezone.now()
        _write(entry, record)
        after = entry_snapshot(DiaryEntry.objects.prefetch_related("medicines").get(pk=entry.pk))
        data: dict[str, Any] = {"day": day, "on_behalf": on_behalf, **changes(before, after)}
        if late:
            amendment = DiaryAmendment.objects.create(
                entry=entry, by=by, reason=reason.strip(), before=before, after=after
            )
            data["amendment"] = amendment.pk
        standing_queue(patient.pk)
        log_action(
            "diary.entry_amended" if late else "diary.entry_changed",
            user=by,
            patient=patient,
            target=entry,
            data=data,
        )
        return entry


def diary_day_no_headache(
    *, patient: Patient, by: Any, day: date | None = None, today: date | None = None
) -> DiaryEntry:
    """The one tap: `day` (today by default) had no headache. A day already recorded is
    changed as `diary_entry_record` changes it."""
    today = today or timezone.localdate()
    return diary_entry_record(
        patient=patient, by=by, day=day or today, record=DayRecord(headache=False), today=today
    )


def days_missing(*, patient: Patient, today: date) -> list[date]:
    """The days of the last fortnight (today first) the diary may hold and does not."""
    start = diary_start(patient)
    recorded = set(
        DiaryEntry.objects.filter(
            patient=patient, day__gt=today - timedelta(days=BACKFILL_DAYS), day__lte=today
        ).values_list("day", flat=True)
    )
    days = (today - timedelta(days=n) for n in range(BACKFILL_DAYS))
    return [d for d in days if d >= start and d not in recorded]


def diary_days_backfill(
    *, patient: Patient, by: Any, days: Mapping[date, bool], today: date | None = None
) -> list[DiaryEntry]:
    """Record many missing days at once, each with headache yes or no (details may follow on
    each day's own page). Every day must be one of the last fortnight's missing days; all are
    stored or none. Raises DomainError for an empty choice, a day outside the fortnight or
    already recorded, and as `diary_entry_record` does."""
    today = today or timezone.localdate()
    on_behalf = writer_on_behalf(patient=patient, by=by)
    if not days:
        raise refuse(Reason.NOTHING_TO_BACKFILL, "Please answer yes or no for at least one day.")
    with transaction.atomic():
        missing = set(days_missing(patient=patient, today=today))
        found = []
        for day in sorted(days):
            refusal = day_refusal(patient=patient, day=day, today=today)
            if refusal is None and day not in missing:
                refusal = Refusal(
                    Reason.DAY_NOT_IN_BACKFILL
                    if (today - day).days >= BACKFILL_DAYS
                    else Reason.DAY_ALREADY_RECORDED,
                    "This day is already recorded or not among the last 14 days.",
                    field="day",
                    subject=f"{day:%d %B %Y}",
                )
            if refusal:
                found.append(refusal)
        raise_if(found, summary="These days cannot be filled in:")
        entries = DiaryEntry.objects.bulk_create(
            DiaryEntry(patient=patient, day=day, headache=yes, entered_by=by, on_behalf=on_behalf)
            for day, yes in sorted(days.items())
        )
        standing_queue(patient.pk)
        log_action(
            "diary.days_backfilled",
            user=by,
            patient=patient,
            data={
                "days": {d.isoformat(): yes for d, yes in sorted(days.items())},
                "on_behalf": on_behalf,
            },
        )
        return entries
