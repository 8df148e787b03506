"""The booking page: a clash or a mistyped year is a form error, and nothing is booked."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Appointment

pytestmark = pytest.mark.django_db


def test_far_future_visit_is_a_form_error_not_a_crash(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("patients:appointment-new", args=[patient.pk]),
        {"kind": "follow_up", "starts_at": "9999-12-31T23:30", "minutes": "30"},
    )
    assert response.status_code == 400
    assert 'data-refusal="visit_too_far"' in response.content.decode()


def test_clash_is_a_form_error_and_books_nothing(client_for, booked, patient, receptionist):
    local = timezone.localtime(booked.starts_at)
    response = client_for(receptionist).post(
        reverse("patients:appointment-new", args=[patient.pk]),
        {"kind": "review", "starts_at": local.strftime("%Y-%m-%dT%H:%M"), "minutes": "20"},
    )
    assert response.status_code == 400
    assert 'data-refusal="appointment_clash"' in response.content.decode()
    assert Appointment.objects.count() == 1
