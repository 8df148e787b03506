"""Booking an injection visit: a visit before the patient's re-treatment window opens would be
refused at the chair, so it is refused here unless a clinician overrides it with a reason."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.errors import refuse
from botoxcare.roles import Action, require, user_can
from patients.models import Appointment, AppointmentKind, Patient
from patients.services import appointment_book

from ..models import Course, State
from ..pathway import day
from ..reasons import Reason
from ..retreatment import Due


def injection_visit_book(
    *,
    patient: Patient,
    by: User,
    starts_at: datetime,
    minutes: int,
    clinician: User | None = None,
    room: str = "",
    override_reason: str = "",
) -> Appointment:
    """Book an injection visit. Raises DomainError (BOOKED_BEFORE_WINDOW) for a day before
    the window opens after the last session, unless a clinician gives the reason to treat
    early (kept as the booking's note); PermissionDenied when someone else tries to."""
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
        status = course.retreatment_status(on) if course is not None else None
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
        return appointment_book(
            patient=patient,
            by=by,
            kind=AppointmentKind.INJECTION,
            starts_at=starts_at,
            minutes=minutes,
            clinician=clinician,
            room=room,
            note=f"Before the window: {override_reason.strip()}" if early else "",
        )
