"""Reads about patients, always scoped to the asking user's clinic or to the patient."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic

from .models import Appointment, AppointmentStatus, Patient, PortalInvitation
from .tokens import token_hash


def patient_get(*, clinic: Clinic, pk: int) -> Patient:
    """One of the clinic's patients; anyone else's id is a 404."""
    return get_object_or_404(
        Patient.objects.select_related("clinic__settings", "responsible_clinician"),
        clinic=clinic,
        pk=pk,
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


class PortalStatus(StrEnum):
    ACTIVE = "active"  # the patient has a login
    PENDING = "pending"  # an invitation can still be used
    EXPIRED = "expired"  # the last invitation expired unused
    NONE = "none"


@dataclass(frozen=True)
class PortalAccess:
    status: PortalStatus
    invitation: PortalInvitation | None = None


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
