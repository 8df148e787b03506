"""Moving a visit from the patient's page: a new time and a reason; refusals are form errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Appointment

pytestmark = pytest.mark.django_db


def url(appointment) -> str:
    return reverse("staff:appointment-move", args=[appointment.patient_id, appointment.pk])


def test_the_patient_page_offers_move_for_a_visit_to_come(client_for, booked, receptionist):
    page = client_for(receptionist).get(reverse("staff:patient", args=[booked.patient_id]))
    assert url(booked) in page.content.decode()


def test_moving_a_visit_from_the_page(client_for, booked, receptionist):
    client = client_for(receptionist)
    form = client.get(url(booked))
    assert form.status_code == 200 and "Move appointment" in form.content.decode()
    to = timezone.localtime(booked.starts_at + timedelta(days=2))
    response = client.post(
        url(booked), {"starts_at": to.strftime("%Y-%m-%dT%H:%M"), "reason": "Snow"}
    )
    assert response.status_code == 302
    booked.refresh_from_db()
    assert booked.status == "cancelled" and booked.status_note == "Moved: Snow"
    assert booked.moved_to.starts_at == to.replace(second=0, microsecond=0)
    page = client.get(reverse("staff:patient", args=[booked.patient_id])).content.decode()
    assert "Moved: Snow" in page


def test_no_reason_or_a_clash_is_a_form_error_and_moves_nothing(
    client_for, booked, receptionist, patient
):
    from patients.services import appointment_book

    other = appointment_book(
        patient=patient,
        by=receptionist,
        kind="review",
        starts_at=booked.starts_at + timedelta(days=1),
        minutes=30,
    )
    client = client_for(receptionist)
    when = timezone.localtime(other.starts_at).strftime("%Y-%m-%dT%H:%M")
    no_reason = client.post(url(booked), {"starts_at": when, "reason": ""})
    assert no_reason.status_code == 400
    clash = client.post(url(booked), {"starts_at": when, "reason": "Swap"})
    assert clash.status_code == 400
    assert 'data-refusal="appointment_clash"' in clash.content.decode()
    booked.refresh_from_db()
    assert booked.status == "booked" and Appointment.objects.count() == 2


def test_another_clinics_visit_or_patient_is_a_404(client_for, booked, other_clinic):
    from botoxcare.roles import Role
    from tests.factories import PatientFactory, make_staff

    theirs = make_staff(other_clinic, Role.RECEPTIONIST)
    assert client_for(theirs).get(url(booked)).status_code == 404
    # Our visit under one of their patients' ids is a 404 too.
    their_patient = PatientFactory(clinic=other_clinic)
    mixed = reverse("staff:appointment-move", args=[their_patient.pk, booked.pk])
    assert client_for(theirs).get(mixed).status_code == 404
