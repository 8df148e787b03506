"""The contact details page: staff who register or book correct a patient's details; the same
rule as registration; another clinic's patient is a 404 and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def edit_url(patient):
    return reverse("patients:contact-edit", args=[patient.pk])


def form(patient, **changes):
    data = {
        "phone": patient.phone,
        "email": patient.email,
        "preferred_channel": patient.preferred_channel,
        "responsible_clinician": patient.responsible_clinician_id or "",
    }
    return {**data, **changes}


@pytest.mark.parametrize("role", ["receptionist", "nurse", "clinician"])
def test_staff_who_register_or_book_save_new_details(request, client_for, patient, role):
    client = client_for(request.getfixturevalue(role))
    page = client.get(edit_url(patient)).content.decode()
    assert f'value="{patient.email}"' in page
    response = client.post(edit_url(patient), form(patient, phone="07700 900555"))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:patient", args=[patient.pk])
    patient.refresh_from_db()
    assert patient.phone == "07700 900555"


def test_an_admin_gets_403(client_for, clinic_admin, patient):
    client = client_for(clinic_admin)
    assert client.get(edit_url(patient)).status_code == 403
    assert client.post(edit_url(patient), form(patient, phone="1")).status_code == 403


def test_email_channel_without_an_address_is_a_form_error(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        edit_url(patient), form(patient, email="", preferred_channel="email")
    )
    assert response.status_code == 400
    assert 'data-refusal="channel_needs_email"' in response.content.decode()
    patient.refresh_from_db()
    assert patient.email


def test_registration_keeps_the_same_rule(client_for, receptionist):
    response = client_for(receptionist).post(
        reverse("staff:register"),
        {
            "identifier": "H900",
            "first_name": "Nia",
            "last_name": "Evans",
            "date_of_birth": "1984-02-03",
            "phone": "",
            "preferred_channel": "sms",
            "referred_on": "2026-11-01",
        },
    )
    assert response.status_code == 400
    assert 'data-refusal="channel_needs_phone"' in response.content.decode()


def test_another_clinics_patient_is_404_and_unchanged(client_for, clinician, other_clinic):
    from tests.factories import PatientFactory

    foreign = PatientFactory(clinic=other_clinic)
    response = client_for(clinician).post(edit_url(foreign), form(foreign, phone="07700 900000"))
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.phone == "07700 900123"


def test_the_patient_page_links_to_the_form_for_those_who_may_edit(
    client_for, receptionist, clinic_admin, patient
):
    page = reverse("staff:patient", args=[patient.pk])
    assert edit_url(patient) in client_for(receptionist).get(page).content.decode()
    assert edit_url(patient) not in client_for(clinic_admin).get(page).content.decode()
