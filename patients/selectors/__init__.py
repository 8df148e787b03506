"""Reads about patients, always scoped to the asking user's clinic or to the patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic

from ..callbacks import answer_due
from ..models import (
    Appointment,
    AppointmentStatus,
    CallbackOutcome,
    CallbackRequest,
    CallbackStatus,
    Patient,
    PortalInvitation,
)
from ..tokens import token_hash
from .calendar import (
    CalendarBy,
    SlotChoice,
    calendar_clinicians,
    calendar_columns,
    calendar_lines,
    free_slots,
    room_free_at,
    slot_from,
    visits_begun,
    visits_between,
)

__all__ = [
    "CalendarBy",
    "SlotChoice",
    "calendar_clinicians",
    "calendar_columns",
    "calendar_lines",
    "free_slots",
    "room_free_at",
    "slot_from",
    "visits_begun",
    "visits_between",
]


def patient_get(*, clinic: Clinic, pk: int) -> Patient:
    """One of the clinic's patients; anyone else's id is a 404."""
    return get_object_or_404(
        Patient.objects.select_related("clinic__settings", "responsible_clinician"),
        clinic=clinic,
        pk=pk,
    )


def appointment_get(*, patient: Patient, pk: int) -> Appointment:
    """One of this patient's appointments (the patient already scoped); any other id is a 404."""
    return get_object_or_404(
        Appointment.objects.select_related("clinician"), patient=patient, pk=pk
    )


def patient_for_user(user: AbstractBaseUser | AnonymousUser) -> Patient:
    """The patient record behind a portal login; 404 for anyone without one."""
    if not user.is_authenticated:
        raise Http404
    return get_object_or_404(Patient.objects.select_related("clinic"), user=user)


def appointments_for(patient: Patient) -> QuerySet[Appointment]:
    return patient.appointments.select_related("clinician").order_by("-starts_at")


def appointments_upcoming(patient: Patient, *, now: datetime) -> QuerySet[Appointment]:
    return patient.appointments.filter(starts_at__gte=now, status=AppointmentStatus.BOOKED)


def callback_queue(*, clinic: Clinic) -> QuerySet[CallbackRequest]:
    """The clinic's requests still to be called, oldest first: the open and claimed ones read
    as two ranges of the (clinic, status, created_at) index, so the requests done over the
    years are never read (a queue, not paged: its length is the work waiting)."""
    return (
        CallbackRequest.objects.filter(
            clinic=clinic, status__in=[CallbackStatus.OPEN, CallbackStatus.CLAIMED]
        )
        .select_related("claimed_by", "patient")
        .order_by("created_at", "id")
    )


def callbacks_done(*, clinic: Clinic, limit: int = 20) -> QuerySet[CallbackRequest]:
    """The clinic's most recently finished requests, newest first."""
    return (
        CallbackRequest.objects.filter(clinic=clinic, status=CallbackStatus.DONE)
        .select_related("patient")
        .order_by("-created_at", "-id")[:limit]
    )


def callback_get(*, clinic: Clinic, pk: int) -> CallbackRequest:
    """One of the clinic's requests with its calls; anyone else's id is a 404."""
    return get_object_or_404(
        CallbackRequest.objects.select_related("claimed_by", "patient").prefetch_related(
            Prefetch("outcomes", CallbackOutcome.objects.select_related("by"))
        ),
        clinic=clinic,
        pk=pk,
    )


def patients_like(*, clinic: Clinic, name: str, phone: str, limit: int = 5) -> list[Patient]:
    """The clinic's patients who may be the person who asked: every word of the name in their
    name, or the same phone number as typed."""
    match = Q(phone=phone.strip()) if phone.strip() else Q(pk__in=[])
    words = name.split()
    if words:
        named = Q()
        for word in words:
            named &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        match |= named
    return list(Patient.objects.filter(clinic=clinic).filter(match).order_by("last_name")[:limit])


@dataclass(frozen=True)
class CallbackRow:
    request: CallbackRequest
    due: datetime
    overdue: bool


def callback_rows(
    requests: list[CallbackRequest], *, working_days: int, now: datetime
) -> list[CallbackRow]:
    """The queue's lines: each request with the moment it should be answered by."""
    rows = []
    for r in requests:
        due = answer_due(r.created_at, working_days)
        rows.append(CallbackRow(request=r, due=due, overdue=now > due))
    return rows


class PortalStatus(StrEnum):
    ACTIVE = "active"  # the patient has a login
    PENDING = "pending"  # an invitation can still be used
    EXPIRED = "expired"  # the last invitation expired unused
    NONE = "none"


@dataclass(frozen=True)
class PortalAccess:
    status: PortalStatus
    invitation: PortalInvitation | None = None

    @property
    def active(self) -> bool:
        return self.status == PortalStatus.ACTIVE

    @property
    def pending(self) -> bool:
        return self.status == PortalStatus.PENDING

    @property
    def expired(self) -> bool:
        return self.status == PortalStatus.EXPIRED


def portal_access(patient: Patient, *, now: datetime) -> PortalAccess:
    """Whether the patient can use the portal, for the staff page."""
    if patient.user_id is not None:
        return PortalAccess(PortalStatus.ACTIVE)
    invitation = patient.portal_invitations.filter(
        used_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None:
        return PortalAccess(PortalStatus.NONE)
    if invitation.usable_at(now):
        return PortalAccess(PortalStatus.PENDING, invitation)
    return PortalAccess(PortalStatus.EXPIRED, invitation)


def portal_invitation_find(*, token: str, now: datetime) -> PortalInvitation | None:
    """The invitation a link's token opens, if it can still be used; None for an unknown,
    expired, used or revoked token alike (the page says the same for each)."""
    invitation = (
        PortalInvitation.objects.select_related("patient")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if invitation is None or not invitation.usable_at(now) or invitation.patient.user_id:
        return None
    return invitation


def username_taken(username: str) -> bool:
    return bool(username) and get_user_model().objects.filter(username__iexact=username).exists()


def visits_left_open(*, clinic: Clinic, before: datetime) -> QuerySet[Appointment]:
    """The clinic's visits still marked booked that began before `before` (the start of today
    in the clinic's time zone): to be marked attended, missed or cancelled."""
    return (
        Appointment.objects.filter(
            patient__clinic=clinic, status=AppointmentStatus.BOOKED, starts_at__lt=before
        )
        .select_related("patient", "clinician")
        .order_by("starts_at", "id")
    )
