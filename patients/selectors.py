"""Reads about patients, always scoped to the asking user's clinic or to the patient."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic

from .models import Appointment, AppointmentStatus, Patient


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
