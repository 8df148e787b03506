"""Issue 10's diary in a real Chromium: a patient keeps a fortnight of diary on a 390 px phone
(today in one tap, the other thirteen days on the missing-days page, one day's details), then
the clinician opens the patient's page and reads the right figures, the chart and the flags."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, expect

from diary.models import DiaryEntry
from tests.browser import signed_in
from tests.factories import PASSWORD
from tests.journey import advance
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
HEADACHE_DAYS_AGO = (1, 4, 8, 11)  # of the thirteen days before today


@pytest.fixture
def keeper(patient, clinician, nurse, lot, consent_form):
    """A patient in maintenance (their session 60 days ago) with a portal login and nothing
    in their diary yet."""
    patient.user = get_user_model().objects.create_user("fortnight", password=PASSWORD)
    patient.save()
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=70),
    )
    return patient


def test_a_fortnight_on_a_phone_then_the_clinicians_figures(
    live_server, browser: Browser, keeper, clinician
):
    today = timezone.localdate()
    phone = signed_in(browser, live_server.url, "fortnight", width=390, height=844)
    phone.goto(f"{live_server.url}/portal/diary/")
    # Today in one tap.
    phone.get_by_role("button", name="No headache today").click()
    expect(phone.locator('[data-today="no-headache"]')).to_be_visible()
    # The thirteen days before, on one page.
    expect(phone.locator("[data-missing]")).to_have_attribute("data-missing", "13")
    phone.get_by_role("link", name="Fill in missing days").click()
    for n in range(1, 14):
        day = today - timedelta(days=n)
        row = phone.locator(f'[data-day="{day.isoformat()}"]')
        row.get_by_label("Yes" if n in HEADACHE_DAYS_AGO else "No", exact=True).check()
    phone.screenshot(path=str(SHOTS / "diary-missing-390.png"), full_page=True)
    phone.get_by_role("button", name="Save these days").click()
    expect(phone.locator('[data-empty="none-missing"], [data-missing]')).to_have_count(0)
    # One headache day's details: six hours, severe, throbbing and one-sided, with nausea.
    worst = today - timedelta(days=4)
    phone.goto(f"{live_server.url}/portal/diary/day/{worst.isoformat()}/")
    expect(phone.get_by_label("Yes", exact=True)).to_be_checked()  # the day as it was kept
    phone.get_by_label("How many hours did it last?").fill("6")
    phone.get_by_label("Severe", exact=True).check()
    for feature in ("Throbbing or pulsing", "On one side of the head", "Feeling sick"):
        phone.get_by_label(feature).check()
    phone.get_by_role("button", name="Save this day").click()
    phone.goto(f"{live_server.url}/portal/diary/")
    phone.screenshot(path=str(SHOTS / "diary-portal-390.png"), full_page=True)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the diary scrolls sideways on a phone ({width} px)"

    kept = DiaryEntry.objects.filter(patient=keeper)
    assert kept.count() == 14
    assert sorted((today - e.day).days for e in kept.filter(headache=True)) == list(
        HEADACHE_DAYS_AGO
    )
    assert kept.get(day=worst).severity == "severe"

    # The clinician's view: the latest 28-day period holds the fortnight.
    desk = signed_in(browser, live_server.url, clinician.username)
    desk.goto(f"{live_server.url}/patients/{keeper.pk}/")
    card = desk.locator('[data-card="diary-figures"]')
    latest = card.locator('[data-table="diary-periods"] tbody tr').last
    expect(latest.locator("td").first).to_have_text("14 / 28")
    expect(latest.locator('[data-figure="headache_days"]')).to_have_text("4")
    # The detailed day is the one migraine day (two pain features, with nausea).
    expect(latest.locator('[data-figure="migraine_days"]')).to_have_text("1")
    expect(card.locator('[data-flag="too_few_recorded"]')).to_have_attribute("data-met", "yes")
    expect(desk.locator("svg.diary-chart")).to_have_count(1)
    desk.screenshot(path=str(SHOTS / "diary-clinician.png"), full_page=True)

    # The list of flagged patients was judged again as the days were written: the keeper is
    # there, for too few days recorded, with the latest period's figures.
    desk.click("text=Diary flags")
    row = desk.locator(f'tr[data-patient="{keeper.pk}"]')
    expect(row.locator('[data-flag="too_few_recorded"]')).to_have_count(1)
    expect(row).to_contain_text("4 headache, 1 migraine days; 14 recorded")
    desk.screenshot(path=str(SHOTS / "diary-flagged-list.png"), full_page=True)
