"""Signing in: staff and patients land on their pages; repeated failures lock the account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_land_on_the_patient_list(client, clinician):
    response = sign_in(client, clinician.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == reverse("staff:patients")


def test_patient_lands_on_the_portal(client, patient):
    patient.user = get_user_model().objects.create_user("pat", password=PASSWORD)
    patient.save()
    response = sign_in(client, "pat", PASSWORD)
    assert client.get(response["Location"])["Location"] == reverse("portal:home")


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
    assert "try again in 15 minutes" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_resets_the_count(client, clinician, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, clinician.username, "wrong")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, clinician.username, "wrong")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no proxy trusted: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "198.51.100.7, 203.0.113.9", "203.0.113.9"),  # a spoofed first entry is ignored
        (2, "203.0.113.9, 10.0.0.5", "203.0.113.9"),
        (2, "", "10.0.0.2"),
    ],
)
def test_client_address_behind_trusted_proxies(rf, settings, proxies, forwarded, expected):
    from botoxcare.client_ip import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_a_refused_page_says_why_in_the_sites_own_page(client_for, nurse, patient):
    from django.urls import reverse as url_for

    response = client_for(nurse).get(url_for("treatments:injection", args=[patient.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this" in page and "Your role does not allow this" in page
    assert url_for("staff:patients") in page
