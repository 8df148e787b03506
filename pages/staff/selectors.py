"""Reads for the staff list: each patient with their current course's step and the re-treatment
status after their last session, in a fixed number of queries; one session for its page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic, ClinicSettings
from patients.models import Appointment, AppointmentStatus, CallbackRequest, Patient
from treatments.models import Aftercare, Course, InjectionSession, Reminder, State
from treatments.retreatment import RetreatmentStatus, retreatment_status


def patient_list(*, clinic: Clinic, query: str = "", state: str = "") -> QuerySet[Patient]:
    """The clinic's patients with their current course's state and last session date."""
    current = Course.objects.filter(patient=OuterRef("pk")).order_by("-started_on", "-id")
    last_session = InjectionSession.objects.filter(course__patient=OuterRef("pk")).order_by(
        "-session_date"
    )
    patients = (
        Patient.objects.filter(clinic=clinic)
        .select_related("responsible_clinician")
        .annotate(
            current_state=Subquery(current.values("state")[:1]),
            last_session_date=Subquery(last_session.values("session_date")[:1]),
        )
    )
    words = query.replace(",", " ").split()  # "Smith, Ruby" as the list writes names
    if words:
        # Every word must match a name ("ann smith" finds Ann Smith, not every Ann), or the
        # whole query is the identifier.
        name_match = Q()
        for word in words:
            name_match &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        patients = patients.filter(name_match | Q(identifier__iexact=query.strip()))
    if state:
        patients = patients.filter(current_state=state)
    return patients.order_by("last_name", "first_name", "id")


@dataclass(frozen=True)
class PatientRow:
    """One line of the list."""

    patient: Patient
    state: State | None
    last_session: date | None
    retreatment: RetreatmentStatus | None  # only while the course is in maintenance


def patient_rows(
    patients: list[Patient], *, settings: ClinicSettings, today: date
) -> list[PatientRow]:
    """The list's rows from patients annotated by `patient_list`."""
    rows = []
    for p in patients:
        annotated: Any = p  # current_state and last_session_date come from the query
        state = State(annotated.current_state) if annotated.current_state else None
        last: date | None = annotated.last_session_date
        status = retreatment_status(last, settings, today) if state == State.MAINTENANCE else None
        rows.append(PatientRow(patient=p, state=state, last_session=last, retreatment=status))
    return rows


def registration_initial(callback: CallbackRequest) -> dict[str, Any]:
    """What the registration form starts from when opened from a call-back request: the
    caller's name (last word as the family name) and number."""
    words = callback.name.split()
    first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (callback.name, "")
    return {"first_name": first, "last_name": last, "phone": callback.phone}


@dataclass(frozen=True)
class FollowUpEntry:
    """One line of a patient's follow-up history: a reminder, a contact attempt or a visit."""

    at: datetime
    kind: str  # "reminder", "contact" or "visit"
    what: str
    result: str  # a stable value for tests and styling
    result_label: str
    note: str = ""


HISTORY_SHOWN = 30


def follow_up_history(
    patient: Patient, *, appointments: Iterable[Appointment], now: datetime
) -> list[FollowUpEntry]:
    """Reminders that have come due (sent, failed, retrying, cancelled), contact attempts and
    past or closed visits, newest first: two queries (the visits are the page's own list)."""
    reminders = (
        Reminder.objects.filter(course__patient=patient)
        .filter(Q(due_at__lte=now) | Q(sent_at__isnull=False) | Q(cancelled_at__isnull=False))
        .order_by("-due_at", "-id")[:HISTORY_SHOWN]
    )
    entries = [
        FollowUpEntry(
            at=r.result_at,
            kind="reminder",
            what=f"Reminder: {r.get_kind_display().lower()}",
            result=r.result.value,
            result_label=r.result.label,
        )
        for r in reminders
    ]
    entries += [
        FollowUpEntry(
            at=c.at,
            kind="contact",
            what=f"{c.get_channel_display()} by {c.by.get_full_name() or c.by.username}",
            result=c.outcome,
            result_label=c.get_outcome_display(),
            note=c.note,
        )
        for c in patient.contact_attempts.select_related("by")[:HISTORY_SHOWN]
    ]
    entries += [
        FollowUpEntry(
            at=a.starts_at,
            kind="visit",
            what=a.get_kind_display(),
            result=a.status,
            result_label=a.get_status_display(),
        )
        for a in appointments
        if a.starts_at <= now or a.status != AppointmentStatus.BOOKED
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:HISTORY_SHOWN]


def _has_field(model: type[Any], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def session_get(*, patient: Patient, pk: int) -> InjectionSession:
    """One of the patient's injection sessions, whole (its sites, its lot or vials with their
    lots, its aftercare), for the session page; any other session, another patient's or
    another clinic's, is a 404. Sessions recorded their one lot on the session before they
    recorded vials (InjectionVial): this reads whichever the model has."""
    sessions = (
        InjectionSession.objects.filter(course__patient=patient)
        .select_related("clinician", "course__patient__clinic__settings")
        .prefetch_related("sites")
    )
    # Named as plain strings: the model has one or the other, whichever stubs mypy reads.
    vials: list[str] = ["vials__lot"] if _has_field(InjectionSession, "vials") else []
    lot: list[str] = ["lot"] if _has_field(InjectionSession, "lot") else []
    return get_object_or_404(sessions.prefetch_related(*vials).select_related(*lot), pk=pk)


def session_aftercare(session: InjectionSession) -> Aftercare | None:
    return (
        Aftercare.objects.filter(session=session)
        .select_related("issued_by", "follow_up__clinician")
        .first()
    )
