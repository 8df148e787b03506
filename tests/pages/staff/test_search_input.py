"""The staff patient search and the list pages' GET parameters: a NUL byte or another control
character is refused with a message and kept nowhere (on PostgreSQL a NUL in a query breaks
it), and nothing unreadable in a URL gives a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["Smith\x00", "\x00", "Sm\x1bith", "Smith\n"])
def test_a_control_character_in_the_search_is_refused_and_not_kept(
    client_for, clinician, clinic, query
):
    PatientFactory(clinic=clinic, last_name="Smith")
    client = client_for(clinician)
    response = client.post(reverse("staff:patients"), {"q": query, "state": ""}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-refusal="control_character"' in page
    assert "patient_search" not in client.session
    assert "Smith" in page  # the list is still shown, unsearched


def test_a_search_kept_before_this_rule_does_not_break_the_list(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, last_name="Smith")
    client = client_for(clinician)
    session = client.session
    session["patient_search"] = {"q": "Smith\x00", "state": ""}
    session.save()
    response = client.get(reverse("staff:patients"))
    assert response.status_code == 200
    assert "Smith" in response.content.decode()


@pytest.mark.postgres
def test_a_nul_in_the_search_does_not_break_the_list_on_postgresql(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, last_name="Smith")
    client = client_for(clinician)
    client.post(reverse("staff:patients"), {"q": "Smith\x00", "state": ""})
    assert client.get(reverse("staff:patients")).status_code == 200


@pytest.mark.parametrize("raw", ["\u00b2", "1\x00", "\u0661"])
def test_a_callback_number_that_is_not_ascii_digits_is_not_found(
    client_for, receptionist, patient, raw
):
    url = reverse("staff:register")
    assert client_for(receptionist).get(url, {"callback": raw}).status_code == 404
