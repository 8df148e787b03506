"""Reads about patients, always scoped to the asking user's clinic or to the patient."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic
from treatments.models import Course, InjectionSession

from .models import Appointment, Patient


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
    words = query.split()
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
