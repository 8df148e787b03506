"""Booking a visit from the staff pages, with its reminder in the same transaction. An
injection visit before the patient's re-treatment window opens would be refused at the chair,
so it is refused here unless a clinician overrides it with a reason."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.errors import refuse
from botoxcare.roles import Action, require, user_can
from patients.models import Appointment, AppointmentKind, Patient
from patients.services import appointment_book

from ..models import Course, ReminderKind, State
from ..pathway import day
from ..reasons import Reason
from ..retreatment import Due
from .reminders import reminder_schedule, visit_reminder_time


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
