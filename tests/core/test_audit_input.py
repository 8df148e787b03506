"""What an audit event keeps of what was typed or asked for (a search, a list's filters) can
hold any character but NUL, which PostgreSQL's JSON refuses: a NUL in a query parameter made
every audited list page a 500 there. It is kept as U+FFFD, so the event still shows that
something was there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from botoxcare.audit import log_action

pytestmark = pytest.mark.django_db


def test_a_nul_in_an_events_data_is_kept_as_a_replacement_character(clinician):
    event = log_action("patients.searched", user=clinician, data={"q\x00": ["Smith\x00", 1]})
    event.refresh_from_db()
    assert event.data == {"q\ufffd": ["Smith\ufffd", 1]}


@pytest.mark.parametrize(
    ("name", "params"),
    [("staff:schedules", {"status": "\x00"}), ("staff:calendar", {"date": "2026-01-01\x00"})],
)
def test_a_nul_in_a_list_pages_parameters_is_no_500(client_for, receptionist, name, params):
    assert client_for(receptionist).get(reverse(name), params).status_code == 200
