"""Booking a visit, with its reminder in the same transaction: from the staff pages, and the
patient's own re-treatment visit from the portal. An injection visit before the patient's
re-treatment window opens would be refused at the chair, so it is refused here unless a
clinician overrides it with a reason; the portal offers only days inside the window."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import refuse
from botoxcare.roles import Action, require, user_can
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.reasons import Reason as PatientReason
from patients.services import appointment_book

from ..models import Course, ReminderKind, State
from ..pathway import day
from ..reasons import Reason
from ..retreatment import Due
from .reminders import appointment_close, reminder_schedule, visit_reminder_time


def visit_book(
    *,
    patient: Patient,
    by: User,
    kind: str,
    starts_at: datetime,
    minutes: int,
    clinician: User | None = None,
    room: str = "",
    override_reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Book a visit and its reminder (the clinic's hours before it). An injection visit on a
    day before the window opens after the last session raises DomainError
    (BOOKED_BEFORE_WINDOW) unless a clinician gives the reason to treat early (kept as the
    booking's note); PermissionDenied when someone else tries to."""
    now = now or timezone.now()
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        course = (
            Course.objects.filter(patient=patient)
            .exclude(state=State.DISCONTINUED)
            .select_related("patient__clinic__settings")
            .order_by("-started_on", "-id")
            .first()
        )
        on = timezone.localdate(starts_at)
        injection = kind == AppointmentKind.INJECTION
        status = course.retreatment_status(on) if course is not None and injection else None
        early = status if status is not None and status.kind == Due.BEFORE_WINDOW else None
        if early is not None and not override_reason.strip():
            who = (
                "give the reason below"
                if user_can(by, Action.START_RETREATMENT)
                else ("ask a clinician to book it with a reason")
            )
            raise refuse(
                Reason.BOOKED_BEFORE_WINDOW,
                f"The re-treatment window opens on {day(early.opens)}: a session on {day(on)} "
                f"would be refused. Book from {day(early.opens)}, or {who}.",
                field="starts_at",
            )
        if early is not None:
            require(by, Action.START_RETREATMENT)  # the clinician's override
        visit = appointment_book(
            patient=patient,
            by=by,
            kind=kind,
            starts_at=starts_at,
            minutes=minutes,
            clinician=clinician,
            room=room,
            note=f"Before the window: {override_reason.strip()}" if early else "",
        )
        course = course or Course.objects.filter(patient=patient).order_by("-started_on").first()
        if course is not None:
            reminder_schedule(
                course=course,
                kind=ReminderKind.APPOINTMENT,
                appointment=visit,
                due_at=visit_reminder_time(visit, patient.clinic.settings),
                key=f"visit:{visit.pk}",
                now=now,
            )
        return visit


def when_text(moment: datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"


def visit_move(
    *,
    appointment: Appointment,
    by: User,
    starts_at: datetime,
    reason: str,
    override_reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Move a booked visit that has not begun to `starts_at`, same kind, length, clinician and
    room, with the reason kept on both: the old visit is cancelled ("Moved: reason") and points
    to the new one, its reminder is cancelled and the new visit gets its own. One transaction:
    a refusal (no reason, a clash, a taken room, before the re-treatment window) changes
    nothing. Returns the new visit."""
    require(by, Action.BOOK_APPOINTMENT)
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise refuse(
            PatientReason.REASON_MISSING,
            "Say why the visit is moved: the reason is kept with both visits.",
            field="reason",
        )
    with transaction.atomic():
        # The patient first, as every booking locks (patient, clinician, clinic).
        Patient.objects.select_for_update().filter(pk=appointment.patient_id).first()
        locked = _visit_lock(appointment.pk, now=now)
        return visit_replace(
            locked,
            by=by,
            starts_at=starts_at,
            minutes=int((locked.ends_at - locked.starts_at).total_seconds() // 60),
            clinician=locked.clinician,
            room=locked.room,
            cancelled_note=f"Moved: {reason}",
            moved_note=f"Moved from {when_text(locked.starts_at)}: {reason}",
            override_reason=override_reason,
            now=now,
        )


def _visit_lock(pk: int, *, now: datetime) -> Appointment:
    """The visit's row locked (its patient's already is), refused unless it is booked and has
    not begun."""
    locked = (
        Appointment.objects.select_for_update(of=("self",))  # not the outer-joined rows
        .select_related("patient__clinic__settings", "clinician")
        .get(pk=pk)
    )
    if locked.status != AppointmentStatus.BOOKED:
        raise refuse(PatientReason.APPOINTMENT_NOT_BOOKED, "That appointment is no longer booked.")
    if locked.starts_at <= now:
        raise refuse(
            PatientReason.APPOINTMENT_PAST,
            f"The visit at {when_text(locked.starts_at)} has begun: mark it attended or "
            "missed, and book a new one.",
        )
    return locked


def visit_replace(
    locked: Appointment,
    *,
    by: User,
    starts_at: datetime,
    minutes: int,
    clinician: User | None,
    room: str,
    cancelled_note: str,
    moved_note: str,
    override_reason: str,
    now: datetime,
) -> Appointment:
    """The move itself, in the caller's transaction with the rows locked: the old visit
    cancelled with `cancelled_note` (its reminder with it), the new one booked as `visit_book`
    does (its own reminder) with `moved_note` first in its booking note, the old pointing to
    it."""
    appointment_close(
        appointment=locked,
        by=by,
        status=AppointmentStatus.CANCELLED,
        reason=cancelled_note,
        now=now,
    )
    moved = visit_book(
        patient=locked.patient,
        by=by,
        kind=locked.kind,
        starts_at=starts_at,
        minutes=minutes,
        clinician=clinician,
        room=room,
        override_reason=override_reason,
        now=now,
    )
    moved.booking_note = "\n".join(note for note in (moved_note, moved.booking_note) if note)
    moved.save(update_fields=["booking_note"])
    Appointment.objects.filter(pk=locked.pk).update(moved_to=moved)
    log_action(
        "appointment.moved",
        user=by,
        patient=locked.patient,
        target=moved,
        data={
            "appointment": [locked.pk, moved.pk],
            "starts_at": [locked.starts_at, moved.starts_at],
            "reason": cancelled_note,
        },
    )
    return moved
