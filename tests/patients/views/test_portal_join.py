"""The public join page: the invited patient chooses a login and lands on the portal; a link
that cannot be used gets one page for every reason and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import PortalInvitation

pytestmark = pytest.mark.django_db

PASSWORD = "plum-orchard-lantern-42"
User = get_user_model()


def choose(client, path, username="ruth.e", password=PASSWORD, again=None):
    return client.post(
        path, {"username": username, "password1": password, "password2": again or password}
    )


def test_the_patient_sets_up_a_login_and_lands_on_the_portal(client, patient, invite):
    path = invite(patient)
    page = client.get(path)
    assert page.status_code == 200
    assert f'value="{patient.email}"' in page.content.decode()  # email suggested as username
    assert page["Referrer-Policy"] == "same-origin"  # the token never goes to another site
    response = choose(client, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert f"Hello, {patient.first_name}" in home.content.decode()
    patient.refresh_from_db()
    assert patient.user.username == "ruth.e"


def unusable_page(client, path):
    response = client.get(path)
    assert response.status_code == 404
    return response.content.decode()


def test_unknown_expired_used_and_revoked_links_get_the_same_page(
    client, patient, receptionist, invite, clinic
):
    from tests.factories import PatientFactory

    unknown = unusable_page(client, "/portal/join/made-up-token/")
    assert 'data-join="unusable"' in unknown

    used = invite(patient)
    choose(Client(), used)
    assert unusable_page(client, used) == unknown

    other = PatientFactory(clinic=clinic)
    revoked = invite(other)
    services.portal_invitation_revoke(patient=other, by=receptionist)
    assert unusable_page(client, revoked) == unknown

    third = PatientFactory(clinic=clinic)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        expired = invite(third)
        clock.shift(timedelta(days=8))
        assert unusable_page(client, expired) == unknown


def test_posting_to_an_unusable_link_changes_nothing(client, patient, receptionist, invite):
    path = invite(patient)
    services.portal_invitation_revoke(patient=patient, by=receptionist)
    users = User.objects.count()
    response = choose(client, path)
    assert response.status_code == 404
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("username", "password", "again", "code"),
    [
        ("ruth.e", "12345678", None, "password_weak"),
        ("ruth.e", PASSWORD, "something-else-entirely-9", "password_mismatch"),
        ("no spaces allowed", PASSWORD, None, "username_invalid"),
    ],
)
def test_a_bad_choice_is_a_form_error(client, patient, invite, username, password, again, code):
    path = invite(patient)
    response = choose(client, path, username, password, again)
    assert response.status_code == 400
    assert f'data-refusal="{code}"' in response.content.decode()
    patient.refresh_from_db()
    assert patient.user is None
    assert PortalInvitation.objects.get().used_at is None


def test_a_taken_username_is_a_form_error(client, patient, receptionist, invite):
    response = choose(client, invite(patient), username=receptionist.username)
    assert response.status_code == 400
    assert 'data-refusal="username_taken"' in response.content.decode()


def test_someone_signed_in_is_asked_to_sign_out_and_nothing_is_linked(
    client_for, patient, receptionist, invite
):
    path = invite(patient)
    client = client_for(receptionist)
    page = client.get(path)
    assert page.status_code == 403
    assert 'data-join="signed_in"' in page.content.decode()
    assert choose(client, path).status_code == 403
    patient.refresh_from_db()
    assert patient.user is None
    assert PortalInvitation.objects.get().used_at is None
    assert int(client.session["_auth_user_id"]) == receptionist.pk
