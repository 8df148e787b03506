"""Closing a booked visit from the patient page: attended, missed or cancelled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_marking_a_visit_attended(client_for, booked, patient, receptionist):
    client = client_for(receptionist)
    url = reverse("treatments:appointment-status", args=[patient.pk, booked.pk])
    for early in ("attended", "did_not_attend"):
        page = client.post(url, {"status": early}, follow=True).content.decode()
        assert 'data-refusal="appointment_not_yet"' in page  # it has not begun
    booked.refresh_from_db()
    assert booked.status == "booked"
    with time_machine.travel(booked.starts_at + timedelta(minutes=5), tick=False):
        client = client_for(receptionist)  # a week later: signed in again
        page = client.post(url, {"status": "attended"}, follow=True).content.decode()
    assert "Appointment marked attended." in page
    booked.refresh_from_db()
    assert booked.status == "attended"
    page = client.post(url, {"status": "cancelled"}, follow=True).content.decode()
    assert 'data-refusal="appointment_not_booked"' in page
    booked.refresh_from_db()
    assert booked.status == "attended"


def test_invalid_status_changes_nothing(client_for, booked, patient, receptionist):
    url = reverse("treatments:appointment-status", args=[patient.pk, booked.pk])
    page = client_for(receptionist).post(url, {"status": "booked"}, follow=True)
    assert 'data-refusal="status_invalid"' in page.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_another_clinics_or_patients_appointment_is_404(
    client_for, booked, clinic, other_clinic, receptionist
):
    client = client_for(receptionist)
    someone_else = PatientFactory(clinic=clinic)
    url = reverse("treatments:appointment-status", args=[someone_else.pk, booked.pk])
    assert client.post(url, {"status": "cancelled"}).status_code == 404
    foreign = PatientFactory(clinic=other_clinic)
    url = reverse("treatments:appointment-status", args=[foreign.pk, booked.pk])
    assert client.post(url, {"status": "cancelled"}).status_code == 404
    booked.refresh_from_db()
    assert booked.status == "booked"


def test_a_clinic_admin_may_cancel_with_the_reason(client_for, booked, patient, clinic_admin):
    # Admins book from the follow-up schedules, so they close visits as reception does.
    url = reverse("treatments:appointment-status", args=[patient.pk, booked.pk])
    response = client_for(clinic_admin).post(url, {"status": "cancelled", "reason": "Clinic shut"})
    assert response.status_code == 302
    booked.refresh_from_db()
    assert (booked.status, booked.status_note) == ("cancelled", "Clinic shut")


def test_a_cancellation_needs_its_reason_and_keeps_it(client_for, booked, patient, receptionist):
    client = client_for(receptionist)
    url = reverse("treatments:appointment-status", args=[patient.pk, booked.pk])
    page = client.post(url, {"status": "cancelled", "reason": " "}, follow=True).content.decode()
    assert 'data-refusal="reason_missing"' in page
    booked.refresh_from_db()
    assert booked.status == "booked"
    page = client.post(
        url, {"status": "cancelled", "reason": "Patient has flu"}, follow=True
    ).content.decode()
    assert "Appointment marked cancelled." in page and "Patient has flu" in page
    booked.refresh_from_db()
    assert (booked.status, booked.status_note) == ("cancelled", "Patient has flu")
