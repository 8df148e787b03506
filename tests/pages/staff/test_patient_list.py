"""The staff patient list: search kept out of URLs, re-treatment status, constant queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_search_is_kept_out_of_urls(client_for, clinician, clinic):
    PatientFactory(clinic=clinic, last_name="Quennell", identifier="H999001")
    for i in range(30):
        PatientFactory(clinic=clinic, last_name=f"Other{i:02d}")
    client = client_for(clinician)
    response = client.post(reverse("staff:patients"), {"q": "quennell", "state": ""})
    assert response.status_code == 302 and response["Location"] == reverse("staff:patients")
    page = client.get(reverse("staff:patients")).content.decode()
    assert "Quennell" in page and "Other01" not in page
    assert 'value="quennell"' in page  # the search box shows what is searched
    client.post(reverse("staff:patients"), {"clear": "1"})
    page = client.get(reverse("staff:patients")).content.decode()
    assert "Other01" in page and "?after=" in page and "quennell" not in page.lower()


def test_patient_list_queries_do_not_grow(
    client_for, clinic, clinician, nurse, consent_form, lot, django_assert_max_num_queries
):
    client = client_for(clinician)
    for _ in range(3):
        advance(
            Course.objects.get(patient=PatientFactory(clinic=clinic)),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    few = count(client, reverse("staff:patients"))
    for _ in range(30):
        advance(
            Course.objects.get(
                patient=PatientFactory(clinic=clinic, responsible_clinician=clinician)
            ),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    with django_assert_max_num_queries(few):
        response = client.get(reverse("staff:patients"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    client.post(reverse("staff:patients"), {"q": "", "state": "maintenance"})
    first = client.get(reverse("staff:patients"))
    with django_assert_max_num_queries(few + 1):  # + the row the page starts after
        response = client.get(reverse("staff:patients") + first.context["page"].next_link)
    assert response.status_code == 200
    assert response.context["page"].has_previous and not response.context["page"].has_next
    assert len(response.context["page"].object_list) == 33 - 25


@pytest.mark.parametrize(
    ("days_ago", "kind", "label"),
    [
        (70, "window_open", "window open"),
        (83, "window_open", "window open"),
        (84, "due", "due today"),
        (86, "overdue", "overdue by 2 days"),
    ],
)
def test_list_shows_the_retreatment_status(
    client_for, patient, clinician, nurse, consent_form, lot, days_ago, kind, label
):
    import time_machine
    from django.utils import timezone

    from tests.journey import at

    session_day = timezone.localdate() - timedelta(days=days_ago)
    with time_machine.travel(at(session_day, 8), tick=False):
        lot.expiry_date = session_day + timedelta(days=400)
        lot.save()
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    page = client_for(clinician).get(reverse("staff:patients")).content.decode()
    assert f'data-due="{kind}">{label}</span>' in page
    due = session_day + timedelta(weeks=12)
    assert f"{due.day} {due:%b %Y}" in page
