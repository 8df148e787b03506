"""Reception works the follow-up list in a real Chromium: filters the overdue, books one from
the list, closes yesterday's visits, and moves a visit on a phone-sized screen."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from botoxcare.roles import Role
from patients.models import Appointment
from patients.services import appointment_book
from tests.browser import sign_in
from tests.factories import (
    ConsentFormFactory,
    PatientFactory,
    ProductLotFactory,
    make_staff,
)
from tests.journey import advance
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_reception_books_the_overdue_closes_yesterday_and_moves_a_visit(
    live_server, page: Page, clinic
):
    clinician = make_staff(clinic, Role.CLINICIAN)
    nurse = make_staff(clinic, Role.NURSE)
    reception = make_staff(clinic, Role.RECEPTIONIST, username="front.desk")
    ConsentFormFactory(clinic=clinic)
    lot = ProductLotFactory(clinic=clinic)

    def walked(last: str, days_ago: int):
        patient = PatientFactory(clinic=clinic, last_name=last, responsible_clinician=clinician)
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
            start=timezone.localdate() - timedelta(days=days_ago),
        )
        return patient

    late, recent = walked("Overdue", 95), walked("Recent", 20)
    walked("Windowopen", 75)
    yesterday = appointment_book(
        patient=recent,
        by=reception,
        kind="review",
        starts_at=timezone.now() - timedelta(days=1),
        minutes=20,
    )

    sign_in(page, live_server.url, "front.desk")

    # The overdue only, then book the re-treatment visit from the row.
    page.get_by_role("link", name="Schedules").click()
    page.locator("#id_status").select_option(label="Overdue")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Overdue")
    rows.first.get_by_role("link", name="Book").click()
    expect(page.get_by_label("Kind")).to_have_value("injection")
    when = timezone.localtime(timezone.now() + timedelta(days=3)).replace(hour=10, minute=0)
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Appointment booked.")).to_be_visible()
    booked = Appointment.objects.get(patient=late, kind="injection")
    assert booked.starts_at == when.replace(second=0, microsecond=0)

    # Yesterday's visit left open: closed from the open visits page.
    page.get_by_role("link", name="Open visits").click()
    day = timezone.localtime(yesterday.starts_at)
    heading = f"{day:%A} {day.day} {day:%B %Y}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    page.get_by_role("button", name=f"Mark all 1 attended on {heading}").click()
    expect(page.get_by_role("heading", name=heading)).to_have_count(0)
    yesterday.refresh_from_db()
    assert yesterday.status == "attended"

    # On a phone-sized screen: move the booked visit, with the reason.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/patients/{late.pk}/")
    page.get_by_role("link", name="Move", exact=True).click()
    later = when + timedelta(days=1, hours=4)
    page.get_by_label("New date and time").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Why it is moved").fill("Patient works mornings")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text(f"Visit moved to {later:%H:%M}")).to_be_visible()
    expect(page.get_by_text("Moved: Patient works mornings")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "follow-up-moved-390.png"), full_page=True)
    booked.refresh_from_db()
    assert booked.status == "cancelled" and booked.moved_to.starts_at == later.replace(
        second=0, microsecond=0
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways at 390 px ({width} px wide)"
