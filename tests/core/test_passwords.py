"""Password reset and change, for staff and patients, with Django's own views: a reset never
says whether an address is known; a new password signs out every other session."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import CLINICAL_WORDS, verified
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "quiet-harbour-meadow-71"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    if hasattr(user, "staff_profile"):
        verified(client, user)  # past the two-factor code, which staff must give
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("password_change"))
    return response.status_code == 200


@pytest.fixture
def patient_login(patient):
    patient.user = get_user_model().objects.create_user(
        "ruth.e", email=patient.email, password=PASSWORD
    )
    patient.save()
    return patient.user


def test_the_login_page_offers_a_reset(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in page
    assert "Forgot your password?" in page


def test_the_top_bar_links_to_the_password_change(client_for, nurse):
    page = client_for(nurse).get(reverse("staff:patients")).content.decode()
    assert f'href="{reverse("password_change")}"' in page


def test_a_reset_does_not_say_whether_an_address_is_known(client, clinician):
    clinician.email = "dr@example.org"
    clinician.save()
    known = client.post(reverse("password_reset"), {"email": "dr@example.org"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1  # only the known address got an email
    assert mail.outbox[0].to == ["dr@example.org"]


def reset_link(email) -> str:
    found = re.search(r"http://testserver(/accounts/password/reset/\S+/)", email.body)
    assert found, email.body
    return found.group(1)


def test_a_patient_resets_their_password_and_other_sessions_end(client, patient_login):
    elsewhere = signed_in(patient_login)
    client.post(reverse("password_reset"), {"email": patient_login.email})
    (email,) = mail.outbox
    text = (email.subject + email.body).lower()
    for word in CLINICAL_WORDS:
        assert word not in text
    form = client.get(reset_link(email), follow=True)  # Django swaps the token for the session
    assert form.status_code == 200
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done["Location"] == reverse("password_reset_complete")
    patient_login.refresh_from_db()
    assert patient_login.check_password(NEW)
    assert not is_signed_in(elsewhere)


def test_a_used_reset_link_cannot_be_used_again(client, clinician):
    clinician.email = "dr@example.org"
    clinician.save()
    client.post(reverse("password_reset"), {"email": "dr@example.org"})
    link = reset_link(mail.outbox[0])
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    again = Client().get(link, follow=True)
    assert 'data-reset="invalid"' in again.content.decode()


@pytest.mark.parametrize("who", ["clinician", "patient_login"])
def test_changing_the_password_signs_out_every_other_session(request, who):
    user = request.getfixturevalue(who)
    here, elsewhere = signed_in(user), signed_in(user)
    assert is_signed_in(here) and is_signed_in(elsewhere)
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("password_change_done")
    assert is_signed_in(here)  # this session carries on
    assert not is_signed_in(elsewhere)  # the other one is signed out


def test_a_wrong_old_password_changes_nothing(clinician):
    client = signed_in(clinician)
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert 'data-refusal="password_incorrect"' in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_a_new_password_signs_in_and_the_lockout_still_counts(client, clinician, settings):
    signed_in(clinician).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    login = reverse("login")
    assert client.post(login, {"username": clinician.username, "password": NEW}).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(login, {"username": clinician.username, "password": PASSWORD})
    locked = client.post(login, {"username": clinician.username, "password": NEW})
    assert locked.status_code == 429
