"""The patient books (or moves) their own re-treatment visit in the portal: judged again under
the booking locks, booked or moved through the staff booking's own functions."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from botoxcare.errors import DomainError, refuse
from botoxcare.models import Clinic
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.reasons import Reason as PatientReason
from patients.selectors import free_slots

from ..models import Course
from ..pathway import day
from ..reasons import Reason
from .booking import visit_book, visit_replace, when_text

# Kept as the cancelled visit's reason when the patient moves it themself.
MOVED_BY_PATIENT = "Moved by the patient in the portal"


def visit_self_book(
    *,
    patient: Patient,
    by: User,
    starts_at: datetime,
    clinician_id: int,
    now: datetime | None = None,
) -> Appointment:
    """The patient themself (`by` is their portal login) books their re-treatment visit: an
    injection visit of the clinic's usual length at `starts_at` with the clinician
    `clinician_id`, in a free room when the clinic lists rooms. If they already have an
    injection visit to come, it is moved instead (cancelled with MOVED_BY_PATIENT, pointing to
    the new one, its reminder with it); the new visit gets its reminder as staff bookings do.

    Everything is judged again here, in one transaction under the booking locks (patient,
    clinician, clinic), never taken from the form: the course is in maintenance and the day is
    one `Course.self_booking_days` allows (SELF_BOOKING_CLOSED, SELF_BOOKING_OUTSIDE_WINDOW);
    the time is one of `free_slots` for that clinician, so inside their working hours with no
    other visit and a room free (SLOT_NOT_FREE, also for a clinician of another clinic and
    for a clash with the patient's own visits). PermissionDenied for anyone but the patient.
    A refusal changes nothing. Returns the new visit."""
    if patient.user_id is None or by.pk != patient.user_id:
        raise PermissionDenied("Only the patient books their own visit here.")
    now = now or timezone.now()
    try:
        with transaction.atomic():
            return _self_book(patient, by, starts_at, clinician_id, now)
    except DomainError as error:
        if {PatientReason.APPOINTMENT_CLASH, PatientReason.ROOM_TAKEN} & set(error.codes):
            raise _not_free() from error
        raise


def _not_free() -> DomainError:
    return refuse(
        Reason.SLOT_NOT_FREE,
        "That time is no longer free. Please choose another time.",
        field="slot",
    )


def _self_book(
    patient: Patient, by: User, starts_at: datetime, clinician_id: int, now: datetime
) -> Appointment:
    Patient.objects.select_for_update().filter(pk=patient.pk).first()
    clinic = Clinic.objects.select_related("settings").get(pk=patient.clinic_id)
    cfg = clinic.settings
    today = timezone.localdate(now)
    course = (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related("sessions")
        .order_by("-started_on", "-id")
        .first()
    )
    allowed = course.self_booking_days(today) if course is not None else None
    if allowed is None:
        raise refuse(
            Reason.SELF_BOOKING_CLOSED,
            "Your next session cannot be booked here yet. Please call the clinic.",
        )
    on = timezone.localdate(starts_at)
    if on not in allowed:
        raise refuse(
            Reason.SELF_BOOKING_OUTSIDE_WINDOW,
            f"Please choose a day from {day(allowed.first)} to {day(allowed.last)}.",
            field="slot",
        )
    # The visit to move, if any: the same as treatments.selectors.injection_visit_next, locked.
    locked = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("patient__clinic__settings", "clinician")
        .filter(
            patient=patient,
            kind=AppointmentKind.INJECTION,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
        )
        .order_by("starts_at", "id")
        .first()
    )
    # The clinician, then the clinic (its rooms), as appointment_book locks them, so that the
    # slot found free below stays free until the booking is written.
    clinician = User.objects.select_for_update().filter(pk=clinician_id).first()
    if cfg.room_names:
        Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
    minutes = cfg.minutes_for(AppointmentKind.INJECTION)
    slot = next(
        (
            s
            for s in free_slots(
                clinic=clinic, days=[on], minutes=minutes, now=cfg.self_booking_earliest(now)
            )
            if s.starts_at == starts_at and s.clinician_id == clinician_id
        ),
        None,
    )
    if slot is None or clinician is None:
        raise _not_free()
    if locked is None:
        return visit_book(
            patient=patient,
            by=by,
            kind=AppointmentKind.INJECTION,
            starts_at=starts_at,
            minutes=minutes,
            clinician=clinician,
            room=slot.room,
            now=now,
        )
    return visit_replace(
        locked,
        by=by,
        starts_at=starts_at,
        minutes=minutes,
        clinician=clinician,
        room=slot.room,
        cancelled_note=MOVED_BY_PATIENT,
        moved_note=f"Moved from {when_text(locked.starts_at)} by the patient in the portal",
        override_reason="",
        now=now,
    )
