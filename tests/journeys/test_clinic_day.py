"""Issue 8's day at the clinic in a real Chromium: the clinic admin works the follow-up
schedules (filters "window open, not booked", books one, records a contact attempt for
another); reception marks yesterday's visits attended from the calendar."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from botoxcare.roles import Role
from patients.models import Appointment, ContactAttempt
from patients.services import appointment_book
from tests.browser import sign_in
from tests.factories import (
    PASSWORD,
    ConsentFormFactory,
    PatientFactory,
    ProductLotFactory,
    make_staff,
)
from tests.journey import advance
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture
def team(clinic):
    return {
        "clinician": make_staff(clinic, Role.CLINICIAN),
        "nurse": make_staff(clinic, Role.NURSE),
        "reception": make_staff(clinic, Role.RECEPTIONIST, username="front.desk"),
        "admin": make_staff(clinic, Role.ADMIN, username="practice.admin"),
        "lot": ProductLotFactory(clinic=clinic),
        "form": ConsentFormFactory(clinic=clinic),
    }


def walked(clinic, team, last: str, days_ago: int):
    patient = PatientFactory(clinic=clinic, last_name=last, responsible_clinician=team["clinician"])
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=team["clinician"],
        nurse=team["nurse"],
        lot=team["lot"],
        start=timezone.localdate() - timedelta(days=days_ago),
    )
    return patient


def test_the_admin_books_one_in_the_window_and_records_a_call_for_another(
    live_server, page: Page, clinic, team
):
    first, second = walked(clinic, team, "Alder", 75), walked(clinic, team, "Birch", 72)
    walked(clinic, team, "Cedar", 20)  # before the window: not on the filtered list
    sign_in(page, live_server.url, "practice.admin")
    page.get_by_role("link", name="Schedules").click()
    page.locator("#id_status").select_option(label="Window open, not booked")
    page.get_by_role("button", name="Show").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)

    page.locator(f'tr[data-patient="{first.pk}"]').get_by_role("link", name="Book").click()
    expect(page.get_by_label("Kind")).to_have_value("injection")
    when = timezone.localtime(timezone.now() + timedelta(days=2)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    page.get_by_label("Date and time").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Clinician").select_option(str(team["clinician"].pk))
    page.get_by_role("button", name="Book").click()
    expect(page.get_by_text("Appointment booked.")).to_be_visible()
    visit = Appointment.objects.get(patient=first, kind="injection")
    assert (visit.starts_at, visit.booked_by) == (when, team["admin"])

    page.get_by_role("link", name="Schedules").click()
    page.locator("#id_status").select_option(label="Window open, not booked")
    page.get_by_role("button", name="Show").click()
    expect(rows).to_have_count(1)
    row = page.locator(f'tr[data-patient="{second.pk}"]')
    row.get_by_role("link", name="Contact…").click()
    page.get_by_label("How").select_option(label="Phone call")
    page.get_by_label("Outcome").select_option(label="No answer")
    page.get_by_label("Note").fill("Try after 5 pm")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_role("heading", name="Follow-up schedules")).to_be_visible()
    expect(page.locator(f'tr[data-patient="{second.pk}"]')).to_contain_text("Phone call: No answer")
    attempt = ContactAttempt.objects.get(patient=second)
    assert (attempt.by, attempt.outcome, attempt.note) == (
        team["admin"],
        "no_answer",
        "Try after 5 pm",
    )
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-day-schedules.png"), full_page=True)


def test_reception_marks_yesterdays_visits_attended_from_the_calendar(
    live_server, page: Page, clinic, team
):
    yesterday = timezone.localdate() - timedelta(days=1)
    visits = [
        appointment_book(
            patient=PatientFactory(clinic=clinic, last_name=name),
            by=team["reception"],
            kind="review",
            starts_at=timezone.make_aware(datetime.combine(yesterday, time(hour))),
            minutes=20,
            clinician=team["clinician"],
        )
        for name, hour in (("Hazel", 10), ("Rowan", 11))
    ]
    sign_in(page, live_server.url, "front.desk")
    page.get_by_role("link", name="Calendar").click()
    page.get_by_role("link", name="Previous day").click()
    heading = f"{yesterday:%A} {yesterday.day} {yesterday:%B %Y}"
    expect(page.get_by_role("heading", name=f"Calendar: {heading}")).to_be_visible()
    for visit in visits:
        expect(page.locator(f'[data-visit="{visit.pk}"]')).to_contain_text(visit.patient.full_name)
    page.get_by_role(
        "button", name=f"Mark the 2 visits begun on {yesterday.day} {yesterday:%B} attended"
    ).click()
    expect(page.get_by_text("2 visits marked attended.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Calendar: {heading}")).to_be_visible()
    for visit in visits:
        expect(page.locator(f'[data-visit="{visit.pk}"]')).to_contain_text("attended")
        visit.refresh_from_db()
        assert visit.status == "attended"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-day-calendar.png"), full_page=True)


def test_a_patient_books_their_own_session_on_a_phone_and_reception_sees_it(
    live_server, page: Page, browser, clinic, team, django_user_model
):
    patient = walked(clinic, team, "Elm", 72)  # the window opened two days ago
    patient.user = django_user_model.objects.create_user("elm.patient", password=PASSWORD)
    patient.save(update_fields=["user"])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "elm.patient")
    page.get_by_role("link", name="Book your next session").click()
    first_day = page.locator("details[data-day]").first
    day = first_day.get_attribute("data-day")
    first_day.locator('input[name="slot"]').first.check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Your next session is booked for")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the portal scrolls sideways at 390 px ({width} px wide)"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "clinic-day-self-booked-390.png"), full_page=True)
    visit = Appointment.objects.get(patient=patient, kind="injection", status="booked")
    status = Course.objects.get(patient=patient).retreatment_status(timezone.localdate())
    assert status is not None and status.opens <= timezone.localdate(visit.starts_at) <= status.due
    assert visit.booked_by == patient.user and str(timezone.localdate(visit.starts_at)) == day

    # Reception sees it in the calendar at once.
    desk = browser.new_page()
    sign_in(desk, live_server.url, "front.desk")
    desk.goto(f"{live_server.url}/calendar/?date={day}")
    expect(desk.locator(f'[data-visit="{visit.pk}"]')).to_contain_text(patient.full_name)
    desk.close()
