"""The injection form's left and right cells: a bilateral muscle's row has them (procerus,
midline, not), they are stored as posted, blank is "not recorded", sides that do not add up
are refused on the muscle's row, and a re-treatment starts from the last session's sides.
The session's page shows them."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.journey import advance
from tests.web import injection_post, url
from treatments import services
from treatments.models import Course, InjectionSession, State

pytestmark = pytest.mark.django_db


def field_value(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0] if 'value="' in tag else ""


def sides_of(patient):
    session = Course.objects.get(patient=patient).sessions.get()
    return {s.muscle: (s.sites, s.sites_left, s.sites_right) for s in session.sites.all()}


def test_the_bilateral_rows_have_left_and_right(client_for, at_injection, clinician):
    html = client_for(clinician).get(url("injection", at_injection)).content.decode()
    assert '<th scope="col">Left</th><th scope="col">Right</th>' in html
    for muscle in ("corrugator", "frontalis", "temporalis", "trapezius"):
        assert f'name="{muscle}_left"' in html and f'name="{muscle}_right"' in html
        assert field_value(html, f"{muscle}_left") == ""  # a first session: not known yet
    assert 'name="procerus_left"' not in html
    assert 'data-side="right"' in html and 'data-side=""' in html  # the diagram's places


def test_the_posted_sides_are_stored(client_for, at_injection, clinician, lot):
    post = injection_post(
        lot,
        timezone.localdate(),
        trapezius_sites="7",
        trapezius_units="35",
        trapezius_left="3",
        trapezius_right="4",
        temporalis_left="4",
        temporalis_right="4",
    )
    post["vials-0-units_given"], post["vials-0-units_discarded"] = "160", "40"
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 302, unescape(response.content.decode())[:3000]
    rows = sides_of(at_injection)
    assert rows["trapezius"] == (7, 3, 4)
    assert rows["temporalis"] == (8, 4, 4)
    assert rows["frontalis"] == (4, None, None)
    assert rows["procerus"] == (1, None, None)


def test_blank_sides_are_not_recorded(client_for, at_injection, clinician, lot):
    response = client_for(clinician).post(
        url("injection", at_injection), injection_post(lot, timezone.localdate())
    )
    assert response.status_code == 302
    assert all(
        left is None and right is None for _n, left, right in sides_of(at_injection).values()
    )


def test_sides_not_adding_up_are_refused_on_the_row(client_for, at_injection, clinician, lot):
    post = injection_post(lot, timezone.localdate(), trapezius_left="2", trapezius_right="3")
    response = client_for(clinician).post(url("injection", at_injection), post)
    assert response.status_code == 400
    html = unescape(response.content.decode())
    at = html.index('name="trapezius_left"')
    row = html[html.rindex("<tr", 0, at) : html.index("</tr>", at)]
    assert 'class="has-error"' in row and 'data-refusal="sides_not_sites"' in row
    assert "2 left and 3 right is not the 6 sites given" in row
    assert not Course.objects.get(patient=at_injection).sessions.exists()


def test_a_retreatment_starts_from_the_last_sessions_sides(
    client_for, clinician, nurse, patient, lot, consent_form
):
    course = Course.objects.get(patient=patient)
    first = timezone.localdate() - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    session = InjectionSession.objects.get(course=course)
    session.sites.filter(muscle="trapezius").update(sites=7, units=35, sites_left=3, sites_right=4)
    services.retreatment_start(
        course=course, by=clinician, reviewed_on=timezone.localdate(), notes="ok"
    )
    html = client_for(clinician).get(url("injection", patient)).content.decode()
    assert (field_value(html, "trapezius_left"), field_value(html, "trapezius_right")) == ("3", "4")
    # A muscle whose sides the last session did not record: blank.
    assert field_value(html, "temporalis_left") == ""


def test_the_session_page_shows_the_sides(client_for, clinician, nurse, patient, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    session = InjectionSession.objects.get(course=course)
    session.sites.filter(muscle="trapezius").update(sites=7, units=35, sites_left=3, sites_right=4)
    page = reverse("staff:session", args=[patient.pk, session.pk])
    html = unescape(client_for(clinician).get(page).content.decode())
    assert '<th scope="col">Side</th>' in html
    row = html[html.index("Trapezius") :]
    assert "L 3 · R 4" in row[: row.index("</tr>")]
    row = html[html.index("Procerus") :]
    assert "—" in row[: row.index("</tr>")]
