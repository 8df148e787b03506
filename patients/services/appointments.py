"""Writes about appointments: booking a visit and closing it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import changes, log_action, snapshot
from botoxcare.errors import refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from ..models import CLOSING_STATUSES, Appointment, AppointmentStatus, Patient
from ..reasons import Reason

# What `appointment.booked` keeps of the new visit.
BOOKED_FIELDS = ("kind", "starts_at", "ends_at", "clinician_id", "room", "booking_note")
CLOSED_FIELDS = ("status", "status_note")


def booker_require(*, by: User, patient: Patient) -> None:
    """Who may book a patient's visit, or cancel one: staff whose role books appointments, or
    the patient themself through their own portal login (the portal books only their own
    re-treatment visit). PermissionDenied for anyone else."""
    if patient.user_id is not None and by.pk == patient.user_id:
        return
    require(by, Action.BOOK_APPOINTMENT)


def appointment_book(
    *,
    patient: Patient,
    by: User,
    kind: str,
    starts_at: datetime,
    minutes: int,
    clinician: User | None = None,
    room: str = "",
    note: str = "",
) -> Appointment:
    """Book a visit; refused when it overlaps another booked visit of the same patient, the
    same clinician, or the same room of the clinic. `by` is staff who may book, or the patient
    themself (`booker_require`)."""
    booker_require(by=by, patient=patient)
    if minutes <= 0:
        raise refuse(
            Reason.APPOINTMENT_TOO_SHORT,
            "An appointment must last at least a minute.",
            field="minutes",
        )
    ends_at = starts_at + timedelta(minutes=minutes)
    room = room.strip()
    with transaction.atomic():
        # Serialise bookings for this patient, this clinician and (through the clinic's row)
        # the clinic's rooms, so the overlap checks below hold when two people book at once;
        # always in this order: patient, clinician, clinic.
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        if clinician is not None:
            User.objects.select_for_update().filter(pk=clinician.pk).first()
        if room:
            Clinic.objects.select_for_update().filter(pk=patient.clinic_id).first()
        overlapping = Appointment.objects.filter(
            status=AppointmentStatus.BOOKED, starts_at__lt=ends_at, ends_at__gt=starts_at
        )
        clash = overlapping.filter(patient=patient).first()
        if clash is None and clinician is not None:
            clash = overlapping.filter(clinician=clinician).first()
        if clash is None and room:
            taken = overlapping.filter(patient__clinic_id=patient.clinic_id, room__iexact=room)
            in_room = taken.first()
            if in_room is not None:
                local = timezone.localtime(in_room.starts_at)
                raise refuse(
                    Reason.ROOM_TAKEN,
                    f"{room} is booked at {local:%H:%M} on {local.day} {local:%b %Y}; choose "
                    "another room or time.",
                    field="room",
                )
        if clash is not None:
            local = timezone.localtime(clash.starts_at)
            who = "The patient" if clash.patient_id == patient.pk else "The clinician"
            raise refuse(
                Reason.APPOINTMENT_CLASH,
                f"{who} already has an appointment at {local:%H:%M} on {local.day} "
                f"{local:%b %Y}; choose another time.",
            )
        appointment = Appointment.objects.create(
            patient=patient,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            clinician=clinician,
            room=room,
            booked_by=by,
            booking_note=note.strip(),
        )
        log_action(
            "appointment.booked",
            user=by,
            patient=patient,
            target=appointment,
            data=snapshot(appointment, BOOKED_FIELDS),
        )
        return appointment


def appointment_set_status(
    *,
    appointment: Appointment,
    by: User,
    status: str,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Close a booked visit: attended, did not attend or cancelled (with the reason, kept as
    its status note). Raises DomainError for another status, a visit no longer booked, a
    cancellation without a reason, or one marked attended or missed before it has begun.
    (Its reminder is stopped by the caller: treatments.services.appointment_close.) Staff who
    may book close a visit; the patient themself may only cancel their own (`booker_require`)."""
    if status == AppointmentStatus.CANCELLED:
        booker_require(by=by, patient=appointment.patient)
    else:
        require(by, Action.BOOK_APPOINTMENT)
    now = now or timezone.now()
    if status not in dict(CLOSING_STATUSES):
        raise refuse(Reason.STATUS_INVALID, "Choose attended, did not attend or cancelled.")
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status != AppointmentStatus.BOOKED:
            raise refuse(Reason.APPOINTMENT_NOT_BOOKED, "That appointment is no longer booked.")
        if status == AppointmentStatus.CANCELLED and not reason.strip():
            raise refuse(
                Reason.REASON_MISSING,
                "Say why the visit is cancelled: the reason is kept with it.",
                field="reason",
            )
        if status != AppointmentStatus.CANCELLED and locked.starts_at > now:
            local = timezone.localtime(locked.starts_at)
            raise refuse(
                Reason.APPOINTMENT_NOT_YET,
                f"The visit is at {local:%H:%M} on {local.day} {local:%b %Y}: it can be marked "
                "attended or missed once it has begun (or cancelled now).",
            )
        before = snapshot(locked, CLOSED_FIELDS)
        locked.status = status
        locked.status_note = reason.strip()
        locked.save(update_fields=["status", "status_note"])
        log_action(
            "appointment.status_changed",
            user=by,
            patient=appointment.patient,
            target=locked,
            data=changes(before, snapshot(locked, CLOSED_FIELDS)),
        )
    return locked
