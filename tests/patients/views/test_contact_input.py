"""Contact details and the public "Call me" form: phone numbers read by the phone-number
library and written one way; emails with their domain in lower case."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_contact_edit_refuses_a_phone_number_that_cannot_be_called(
    client_for, receptionist, patient
):
    response = client_for(receptionist).post(
        reverse("patients:contact-edit", args=[patient.pk]),
        {"phone": "call me maybe", "email": "", "preferred_channel": "phone"},
    )
    assert response.status_code == 400
    assert 'data-refusal="phone_invalid"' in response.content.decode()
    patient.refresh_from_db()
    assert patient.phone == "07700 900123"


def test_contact_edit_stores_the_number_and_address_one_way(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("patients:contact-edit", args=[patient.pk]),
        {"phone": "+447700900555", "email": "Me@EXAMPLE.org", "preferred_channel": "email"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.phone, patient.email) == ("07700 900555", "Me@example.org")
