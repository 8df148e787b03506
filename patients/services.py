"""Writes about patients and their appointments; each one transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from botoxcare.errors import refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from .models import CLOSING_STATUSES, Appointment, AppointmentStatus, ContactChannel, Patient
from .reasons import Reason


def normalised_identifier(identifier: str) -> str:
    """Identifiers are compared without case or surrounding spaces: "h100 " is "H100"."""
    return identifier.strip().upper()


def patient_register(
    *,
    clinic: Clinic,
    by: User,
    identifier: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str = "",
    email: str = "",
    preferred_channel: str = ContactChannel.PHONE,
    responsible_clinician: User | None = None,
) -> Patient:
    """Register a patient. (treatments.services.patient_refer also opens their first course.)
    Raises DomainError when the identifier is already the clinic's."""
    require(by, Action.REGISTER_PATIENT)
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                clinic=clinic,
                identifier=normalised_identifier(identifier),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                date_of_birth=date_of_birth,
                phone=phone.strip(),
                email=email.strip(),
                preferred_channel=preferred_channel,
                responsible_clinician=responsible_clinician,
            )
    except IntegrityError as exc:
        raise refuse(
            Reason.IDENTIFIER_TAKEN,
            f"A patient with the identifier {identifier} is already registered at this clinic.",
            field="identifier",
        ) from exc
    return patient


def appointment_book(
    *,
    patient: Patient,
    by: User,
    kind: str,
    starts_at: datetime,
    minutes: int,
    clinician: User | None = None,
    room: str = "",
) -> Appointment:
    """Book a visit; refused when it overlaps another booked visit of the same patient or
    the same clinician."""
    require(by, Action.BOOK_APPOINTMENT)
    if minutes <= 0:
        raise refuse(
            Reason.APPOINTMENT_TOO_SHORT,
            "An appointment must last at least a minute.",
            field="minutes",
        )
    ends_at = starts_at + timedelta(minutes=minutes)
    with transaction.atomic():
        # Serialise bookings for this patient and this clinician, so the overlap check below
        # holds when two people book at once (always patient first, then clinician).
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        if clinician is not None:
            User.objects.select_for_update().filter(pk=clinician.pk).first()
        overlapping = Appointment.objects.filter(
            status=AppointmentStatus.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        clash = overlapping.filter(patient=patient).first()
        if clash is None and clinician is not None:
            clash = overlapping.filter(clinician=clinician).first()
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            who = "The patient" if clash.patient_id == patient.pk else "The clinician"
            raise refuse(
                Reason.APPOINTMENT_CLASH,
                f"{who} already has an appointment at {local:%H:%M} on {local.day} "
                f"{local:%b %Y}; choose another time.",
            )
        return Appointment.objects.create(
            patient=patient,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            clinician=clinician,
            room=room,
            booked_by=by,
        )


def appointment_set_status(*, appointment: Appointment, by: User, status: str) -> Appointment:
    """Close a booked visit: attended, did not attend or cancelled. Raises DomainError for
    another status or a visit no longer booked. (Its reminder is stopped by the caller:
    treatments.services.appointment_close.)"""
    require(by, Action.BOOK_APPOINTMENT)
    if status not in dict(CLOSING_STATUSES):
        raise refuse(Reason.STATUS_INVALID, "Choose attended, did not attend or cancelled.")
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise refuse(Reason.APPOINTMENT_NOT_BOOKED, "That appointment is no longer booked.")
        locked.status = status
        locked.save(update_fields=["status"])
    return locked
