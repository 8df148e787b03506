"""Signing in: staff and patients land on their pages; repeated failures lock the account."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def sign_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_staff_land_on_the_patient_list_after_their_two_factor_code(client, clinician):
    response = sign_in(client, clinician.username, PASSWORD)
    assert response.status_code == 302
    asked = client.get(response["Location"])["Location"]
    assert asked == reverse("two_factor:verify") + "?next=%2Fafter-login%2F"
    entered = client.post(asked, {"code": totp_code(clinician), "next": "/after-login/"})
    assert client.get(entered["Location"])["Location"] == reverse("staff:patients")


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


def test_a_success_does_not_wipe_the_failures(client, clinician, settings):
    for _ in range(3):
        sign_in(client, clinician.username, "wrong")
    assert sign_in(client, clinician.username, PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, clinician.username, "wrong").status_code == 200
    fifth = sign_in(client, clinician.username, "wrong")
    assert fifth.status_code == 429
    assert sign_in(client, clinician.username, PASSWORD).status_code == 429


def test_spraying_one_password_over_many_usernames_pauses_the_address(client, clinician, settings):
    assert settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS == 20
    for n in range(20):
        sign_in(client, f"someone{n}", "Summer2024!")
    response = sign_in(client, clinician.username, PASSWORD)  # the 21st username, right password
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert 'data-paused="address"' in page and 'data-paused="account"' not in page
    assert "from this network" in page and "try again in 15 minutes" in page
    # Another address is not paused.
    elsewhere = client.post(
        reverse("login"),
        {"username": clinician.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.4",
    )
    assert elsewhere.status_code == 302


def test_failures_for_one_username_from_many_addresses_pause_the_account(client, clinician):
    for n in range(10):
        response = client.post(
            reverse("login"),
            {"username": clinician.username, "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    assert response.status_code == 429  # the 10th
    response = client.post(
        reverse("login"),
        {"username": clinician.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.11",
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert 'data-paused="account"' in page
    assert "administrator can unlock your account" in page


def test_nine_failures_from_nine_addresses_do_not_pause_the_account(client, clinician):
    for n in range(9):
        client.post(
            reverse("login"),
            {"username": clinician.username, "password": "wrong"},
            REMOTE_ADDR=f"203.0.113.{n + 1}",
        )
    response = client.post(
        reverse("login"),
        {"username": clinician.username, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.10",
    )
    assert response.status_code == 302


def test_failures_and_pauses_are_logged_without_the_password(client, clinician, caplog):
    secret = "Tr0ub4dor&3-not-it"
    with caplog.at_level("INFO"):
        for _ in range(5):
            sign_in(client, clinician.username, secret)
        sign_in(client, clinician.username, PASSWORD)
    assert all(
        secret not in r.getMessage() and PASSWORD not in r.getMessage() for r in caplog.records
    )
    lines = [r.getMessage() for r in caplog.records if r.name == "botoxcare.security"]
    failed = [line for line in lines if line.startswith("sign-in failed")]
    paused = [line for line in lines if line.startswith("sign-in paused")]
    assert len(failed) == 6 and paused  # the right password while paused is refused too
    assert all(f"user_id={clinician.pk}" in line and "address=127.0.0.1" in line for line in failed)
    assert all(clinician.username not in line for line in lines)
    assert "by=account" in paused[0]


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

    # Nurses record injections in this clinic (botoxcare.roles): a consultation is refused.
    response = client_for(nurse).get(url_for("staff:consultation", args=[patient.pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do this" in page and "Your role does not allow this" in page
    assert url_for("staff:patients") in page
