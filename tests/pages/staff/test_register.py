"""Registering a patient: identifiers unique in the clinic, possible duplicates confirmed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treatments.models import Course

pytestmark = pytest.mark.django_db


def test_identifiers_are_unique_whatever_their_case(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("staff:register"),
        {
            "identifier": f" {patient.identifier.lower()} ",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": "1984-02-03",
            "phone": "07700 900000",
            "preferred_channel": "phone",
            "referred_on": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert 'data-refusal="identifier_taken"' in response.content.decode()


def test_possible_duplicate_patient_needs_confirmation(client_for, receptionist, patient):
    data = {
        "identifier": "H555",
        "first_name": patient.first_name.upper(),
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "phone": "07700 900000",
        "preferred_channel": "phone",
        "referred_on": "2026-11-01",
    }
    client = client_for(receptionist)
    response = client.post(reverse("staff:register"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"is already registered as {patient.identifier}" in page
    assert 'type="checkbox" name="different_person"' in page
    assert not Course.objects.filter(patient__identifier="H555").exists()
    response = client.post(reverse("staff:register"), {**data, "different_person": "on"})
    assert response.status_code == 302
    assert Course.objects.filter(patient__identifier="H555").exists()
