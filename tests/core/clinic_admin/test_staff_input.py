"""Adding a member: a control character in a name (not only NUL) is refused on its field
with the shared code, and no one is added."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def add(client, **changes):
    data = {
        "username": "new.one",
        "first_name": "New",
        "last_name": "One",
        "email": "new@example.org",
        "roles": ["receptionist"],
    }
    return client.post(reverse("clinic_admin:staff-add"), {**data, **changes})


def test_a_control_character_in_a_name_is_refused(client_for, clinic_admin):
    response = add(client_for(clinic_admin), last_name="One\x00\x1b")
    assert response.status_code == 400
    assert 'data-refusal="control_character"' in response.content.decode()
    assert not get_user_model().objects.filter(username="new.one").exists()
