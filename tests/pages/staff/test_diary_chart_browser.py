"""In a real browser: the clinician sees the diary chart on the patient page, named for
assistive technology, with its sessions marked; picture in test-results/."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser import sign_in
from tests.diary.factories import entry
from tests.journey import advance
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "test-results"


def test_clinician_sees_the_chart_on_the_patient_page(
    live_server, page: Page, patient, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    course = advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=20),
    )
    for back in range(1, 200):
        headache = back % 3 != 0 if back > 120 else back % 4 == 0
        entry(
            patient,
            today - timedelta(days=back),
            headache=headache,
            hours=4 if headache else None,
            throbbing=headache and back % 2 == 0,
            one_sided=headache and back % 2 == 0,
            nausea=headache and back % 2 == 0,
            light_sound_sensitivity=headache,
        )
    sign_in(page, live_server.url, clinician.username)
    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    chart = page.get_by_role("img", name="Headache and migraine days per period")
    expect(chart).to_be_visible()
    sessions = course.sessions.count()
    assert page.locator("svg.diary-chart g.session").count() == sessions
    page.get_by_text("The chart's figures as a table").click()
    expect(page.get_by_role("table", name="Headache and migraine days per period")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.locator('[data-card="diary-chart"]').screenshot(path=str(SHOTS / "diary-chart.png"))
