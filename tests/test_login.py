"""Signing in: staff and patients land on their pages; repeated failures lock the account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_land_on_the_patient_list(client, clinician):
    response = sign_in(client, clinician.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("patients:list")


def test_patient_lands_on_the_portal(client, patient):
    patient.user = get_user_model().objects.create_user("pat", password=PASSWORD)
    patient.save()
    response = sign_in(client, "pat", PASSWORD)
    assert client.get(response["Location"])["Location"] == reverse("patients:portal")


def test_wrong_password_is_explained(client, clinician):
    response = sign_in(client, clinician.username, "wrong")
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(client, clinician, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, clinician.username, "wrong")
    response = sign_in(client, clinician.username, PASSWORD)
    assert response.status_code == 429
    assert "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, clinician, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, clinician.username, "wrong")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, clinician.username, "wrong")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302
