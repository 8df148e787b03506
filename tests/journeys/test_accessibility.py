"""axe-core in Chromium over the patient's pages at 360 px and the staff pages they lead to: no
serious or critical violation, and nothing wider than the screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from botoxcare.roles import Role
from patients.services import callback_request
from tests.browser import signed_in
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
    # Omar has a login too: his portal home shows the re-treatment window and due date.
    followed.user = get_user_model().objects.create_user("omar", password=PASSWORD)
    followed.save()
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
    phone = signed_in(browser, base, "ruth", width=360, height=800)
    maintained = signed_in(browser, base, "omar", width=360, height=800)
    desk = signed_in(browser, base, "rn", width=1280, height=800)
    small_desk = signed_in(browser, base, "rn", width=390, height=800)
    slot = timezone.localtime(timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT10:00")
    pages = [
        (visitor, reverse("public:home")),
        (visitor, reverse("public:call-me", args=[clinic.slug])),
        (visitor, reverse("login")),
        (visitor, reverse("password_reset")),
        (phone, reverse("portal:home")),
        (phone, reverse("portal:consent", args=[waiting.pk])),
        (maintained, reverse("portal:home")),
        (maintained, reverse("portal:book")),
        (maintained, reverse("portal:diary")),
        (maintained, reverse("portal:diary-day", args=[timezone.localdate().isoformat()])),
        (maintained, reverse("portal:diary-missing")),
        (maintained, reverse("portal:diary-import")),
        (desk, reverse("staff:diary-day", args=[followed.pk, timezone.localdate().isoformat()])),
        (desk, reverse("staff:patient", args=[patient.pk])),
        (desk, reverse("patients:callbacks")),
        (desk, reverse("patients:callback", args=[callback.pk])),
        (desk, reverse("staff:schedules")),
        (desk, reverse("staff:calendar")),
        (desk, reverse("staff:calendar") + f"?view=week&key={doctor.pk}"),
        (small_desk, reverse("staff:calendar") + "?view=week"),
        (desk, reverse("staff:calendar-book") + f"?starts_at={slot}&clinician={doctor.pk}"),
        (desk, reverse("patients:contact-attempt-new", args=[followed.pk]) + "?from=schedules"),
    ]
    found = {}
    for n, (page, path) in enumerate(pages):
        response = page.goto(base + path)
        # The page itself, not a 404 page or the sign-in page it was sent to.
        assert response is not None and response.status == 200, path
        assert page.url == base + path, path
        width = page.viewport_size["width"] if page.viewport_size else 0
        assert page.evaluate("document.documentElement.scrollWidth") <= width, path
        if issues := problems(page):
            found[f"#{n} {path}"] = issues
    # Each portal home in the state it was opened for.
    phone.goto(base + reverse("portal:home"))
    assert phone.get_by_role("link", name="Read and sign").is_visible()
    maintained.goto(base + reverse("portal:home"))
    window = maintained.locator("[data-due]")
    assert window.is_visible() and "it is due by" in window.inner_text()
    # A form with errors, too: the summary and the fields it links to.
    visitor.goto(f"{base}/clinics/{clinic.slug}/call-me/")
    visitor.get_by_role("button", name="Send my request").click()
    if issues := problems(visitor):
        found["call-me with errors"] = issues
    assert found == {}


def test_call_me_controls_sit_beside_their_labels_at_390px(live_server, browser, clinic):
    """On a phone, each radio button and checkbox of "Call me" is on its label's first line, to
    its left, and all are the same size (none squeezed by a long label)."""
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(live_server.url + reverse("public:call-me", args=[clinic.slug]))
    page.get_by_role("button", name="Send my request").click()  # with errors shown, too
    for shown in ("with errors", "as opened"):
        controls = page.evaluate(
            """() => [...document.querySelectorAll(
                'form input[type=radio], form input[type=checkbox]')].map(i => {
              const label = document.querySelector(`label[for="${i.id}"]`);
              const a = i.getBoundingClientRect(), r = label.getBoundingClientRect();
              const line = parseFloat(getComputedStyle(label).lineHeight);
              return {id: i.id, width: a.width, height: a.height, gap: r.left - a.right,
                      offset: Math.abs((a.top + a.height / 2) - (r.top + line / 2))};
            })"""
        )
        assert len(controls) == 6, shown  # four topics, the danger signs, consent to contact
        sizes = {(c["width"], c["height"]) for c in controls}
        assert len(sizes) == 1, (shown, controls)
        for c in controls:
            assert 0 < c["gap"] <= 16, (shown, c)  # beside its label, not above it
            assert c["offset"] <= 3, (shown, c)  # centred on the label's first line
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.goto(live_server.url + reverse("public:call-me", args=[clinic.slug]))
