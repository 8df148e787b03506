"""Registration refuses what cannot be true of an adult patient, and stores contact details in
one written form; bad input is explained on the form and nothing is registered."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.validators import ADULT_AGE, years_before
from patients.models import Patient

pytestmark = pytest.mark.django_db


def registration(**changes):
    data = {
        "identifier": "H777",
        "first_name": "Ada",
        "last_name": "Byron",
        "date_of_birth": "1984-02-03",
        "phone": "07700 900000",
        "email": "",
        "preferred_channel": "phone",
        "referred_on": (timezone.localdate() - timedelta(days=3)).isoformat(),
    }
    return {**data, **changes}


def refused(client, code, **changes):
    response = client.post(reverse("staff:register"), registration(**changes))
    assert response.status_code == 400
    assert f'data-refusal="{code}"' in response.content.decode()
    assert not Patient.objects.filter(identifier="H777").exists()


def test_a_birth_date_today_is_refused(client_for, receptionist):
    today = timezone.localdate()
    refused(client_for(receptionist), "birth_too_recent", date_of_birth=today.isoformat())
    child = years_before(today, ADULT_AGE) + timedelta(days=1)
    refused(client_for(receptionist), "birth_too_recent", date_of_birth=child.isoformat())


def test_a_birth_date_in_1900_is_refused(client_for, receptionist):
    refused(client_for(receptionist), "birth_too_early", date_of_birth="1900-06-01")


def test_a_referral_in_9999_is_refused(client_for, receptionist):
    refused(client_for(receptionist), "date_out_of_range", referred_on="9999-12-31")


def test_a_referral_before_the_birth_is_refused(client_for, receptionist):
    refused(client_for(receptionist), "before_birth", referred_on="1984-02-02")


def test_a_phone_number_that_cannot_be_called_is_refused(client_for, receptionist):
    refused(client_for(receptionist), "phone_invalid", phone="call me maybe")


@pytest.mark.parametrize("name", ["Ada\x00", "Ada\x1b[2J", "Ada\nLovelace"])
def test_control_characters_in_a_name_are_refused(client_for, receptionist, name):
    refused(client_for(receptionist), "control_character", first_name=name)


def test_phone_and_email_are_stored_in_one_form(client_for, receptionist):
    response = client_for(receptionist).post(
        reverse("staff:register"),
        registration(phone="+44 (0)7700-900-000", email=" Ada.Byron@Example.ORG "),
    )
    assert response.status_code == 302
    patient = Patient.objects.get(identifier="H777")
    assert (patient.phone, patient.email) == ("07700 900000", "Ada.Byron@example.org")
