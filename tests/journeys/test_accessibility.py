"""axe-core in Chromium over the patient's pages at 360 px and the staff pages they lead to: no
serious or critical violation, and nothing wider than the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import Browser, Page

from botoxcare.roles import Role
from patients.services import callback_request
from tests.factories import (
    PASSWORD,
    ConsentFormFactory,
    PatientFactory,
    ProductLotFactory,
    make_staff,
)
from tests.journey import advance
from treatments import services
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


def problems(page: Page) -> list[str]:
    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in found if v["impact"] in SERIOUS]


def signed_in(browser: Browser, base: str, username: str, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return page


def test_patient_and_staff_pages_pass_axe(live_server, browser, clinic):
    base = live_server.url
    doctor = make_staff(clinic, Role.CLINICIAN, username="dr")
    nurse = make_staff(clinic, Role.NURSE, username="rn")
    ConsentFormFactory(clinic=clinic)
    lot = ProductLotFactory(clinic=clinic)
    patient = PatientFactory(clinic=clinic, first_name="Ruth", last_name="Ellison")
    patient.user = get_user_model().objects.create_user("ruth", password=PASSWORD)
    patient.save()
    course = advance(
        Course.objects.get(patient=patient), State.CONSENT, clinician=doctor, nurse=nurse, lot=lot
    )
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Pause fish oil.",
        flags={},
    )
    waiting = services.consent_request_send(course=course, by=nurse)
    followed = PatientFactory(clinic=clinic, first_name="Omar", last_name="Hale")
    advance(
        Course.objects.get(patient=followed),
        State.MAINTENANCE,
        clinician=doctor,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=80),
    )
    callback = callback_request(
        clinic=clinic,
        name="Ann Smith",
        phone="07700 900123",
        topic="side_effect",
        contact_consent=True,
        address="203.0.113.9",
    )

    visitor = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
    phone = signed_in(browser, base, "ruth", 360)
    desk = signed_in(browser, base, "rn", 1280)
    pages = [
        (visitor, "/"),
        (visitor, f"/clinics/{clinic.slug}/call-me/"),
        (visitor, "/accounts/login/"),
        (visitor, "/accounts/password_reset/"),
        (phone, "/portal/"),
        (phone, f"/portal/consent/{waiting.pk}/"),
        (desk, f"/patients/{patient.pk}/"),
        (desk, "/callbacks/"),
        (desk, f"/callbacks/{callback.pk}/"),
        (desk, "/schedules/"),
        (desk, f"/patients/{followed.pk}/contact-attempts/new/?from=schedules"),
    ]
    found = {}
    for page, path in pages:
        page.goto(base + path)
        width = page.viewport_size["width"] if page.viewport_size else 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if issues := problems(page):
            found[path] = issues
    # A form with errors, too: the summary and the fields it links to.
    visitor.goto(f"{base}/clinics/{clinic.slug}/call-me/")
    visitor.get_by_role("button", name="Send my request").click()
    if issues := problems(visitor):
        found["call-me with errors"] = issues
    assert found == {}
