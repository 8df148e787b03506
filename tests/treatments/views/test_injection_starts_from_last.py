"""A re-treatment's injection form starts from the course's last session: its sites and units
by muscle (a muscle it lacked at its fixed dose), with the last tolerability beside it; the
first session starts from the fixed PREEMPT doses."""

from __future__ import annotations

from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from tests.journey import advance
from tests.web import url
from treatments import services
from treatments.models import Course, InjectionSession, State

pytestmark = pytest.mark.django_db


def field_value(html: str, name: str) -> str:
    start = html.index(f'name="{name}"')
    tag = html[html.rindex("<input", 0, start) : html.index(">", start)]
    return tag.split('value="', 1)[1].split('"', 1)[0]


def test_the_first_session_starts_from_the_fixed_doses(
    client_for, clinician, nurse, patient, lot, consent_form
):
    advance(
        Course.objects.get(patient=patient),
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    html = client_for(clinician).get(url("injection", patient)).content.decode()
    assert "Rows start at the fixed PREEMPT doses." in html
    assert (field_value(html, "temporalis_sites"), field_value(html, "temporalis_units")) == (
        "8",
        "40",
    )


def test_a_retreatment_starts_from_the_last_sessions_sites_and_units(
    client_for, clinician, nurse, patient, lot, consent_form
):
    course = Course.objects.get(patient=patient)
    first = timezone.localdate() - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    session = InjectionSession.objects.get(course=course)
    # Follow-the-pain last time: two more temporalis sites; trapezius left out of the record.
    session.sites.filter(muscle="temporalis").update(sites=10, units=50)
    session.sites.filter(muscle="trapezius").delete()
    session.tolerability = "Neck ache for two days."
    session.save(update_fields=["tolerability"])
    services.retreatment_start(
        course=course, by=clinician, reviewed_on=timezone.localdate(), notes="ok"
    )
    html = unescape(client_for(clinician).get(url("injection", patient)).content.decode())
    assert "Rows start at the last session's sites and units" in html
    assert "Last session's tolerability: Neck ache for two days." in html
    assert (field_value(html, "temporalis_sites"), field_value(html, "temporalis_units")) == (
        "10",
        "50",
    )
    # A muscle the last session did not record starts at its fixed dose.
    assert (field_value(html, "trapezius_sites"), field_value(html, "trapezius_units")) == (
        "6",
        "30",
    )
    assert (field_value(html, "procerus_sites"), field_value(html, "procerus_units")) == ("1", "5")
