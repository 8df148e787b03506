"""In a real Chromium: a long form warns before the idle sign-out, "Stay signed in" keeps the
session, and when the time runs out what was typed comes back after signing in again (kept in
the tab's sessionStorage only, and dropped once the form is sent).

The patient's consent page is the form here (a patient signs in with a password alone); the
script is the same on every page with a form."""

from __future__ import annotations

import re
import tempfile
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from playwright.sync_api import Page, expect

from botoxcare.middleware import SEEN
from tests.browser import sign_in
from tests.factories import PASSWORD
from tests.journey import advance
from treatments import services
from treatments.models import Course, State

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOT = Path(tempfile.gettempdir()) / "idle-warning.png"  # to look at


def session_seen(page: Page) -> float:
    cookie = next(c for c in page.context.cookies() if "sessionid" in c["name"])
    return float(SessionStore(session_key=cookie["value"])[SEEN])


@pytest.fixture
def waiting(patient, clinician, nurse, consent_form, lot):
    patient.user = get_user_model().objects.create_user("ruth", password=PASSWORD)
    patient.save()
    course = advance(
        Course.objects.get(patient=patient),
        State.CONSENT,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    return services.consent_request_send(course=course, by=nurse)


def test_the_warning_keeps_the_session_and_the_timeout_keeps_what_was_typed(
    live_server, page: Page, settings, waiting, patient
):
    name = patient.full_name
    # A 30-second idle limit, warned 25 seconds ahead: the warning shows within seconds.
    settings.PATIENT_IDLE_MINUTES = 0.5
    settings.IDLE_WARNING_SECONDS = 25
    form = f"{live_server.url}{reverse('portal:consent', args=[waiting.pk])}"
    sign_in(page, live_server.url, "ruth")
    page.goto(form)
    boxes = page.locator("input[name='statements']")
    boxes.first.check()
    page.get_by_label("Type your full name to sign").fill(name)

    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_visible(timeout=15_000)
    expect(warning).to_contain_text("you will be signed out in")
    page.screenshot(path=str(SHOT))

    before = time.time()
    warning.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden()
    assert session_seen(page) >= before  # the ping was activity
    assert page.evaluate("localStorage.length") == 0

    # Nobody answers the next warning: signed out, what was typed kept in this tab only.
    expect(page).to_have_url(re.compile(r"/accounts/login/"), timeout=45_000)
    expect(page.get_by_text("You were signed out after a while without activity.")).to_be_visible()
    assert page.evaluate("localStorage.length") == 0
    sign_in(page, live_server.url, "ruth")
    page.goto(form)
    expect(page.get_by_label("Type your full name to sign")).to_have_value(name)
    expect(boxes.first).to_be_checked()
    expect(boxes.nth(1)).not_to_be_checked()
    expect(page.get_by_role("status").filter(has_text="what you had typed")).to_be_visible()

    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_role("button", name="Sign my consent").click()
    expect(page.get_by_text("your consent is signed")).to_be_visible()
    assert waiting.course.consents.get().signer_name == name
    assert page.evaluate("sessionStorage.length") == 0
