"""Two-factor sign-in in a real Chromium: a clinician with no authenticator app signs in, is
sent to set one up, types the key the page shows into an "app" (django-otp's own TOTP here),
confirms with its code, is shown their recovery codes, signs out, signs in again with a code
and reaches the patient list."""

from __future__ import annotations

from base64 import b32decode
from pathlib import Path

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from botoxcare.roles import Role
from tests.browser import enter_code, sign_in
from tests.factories import PASSWORD, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def test_a_clinician_sets_up_two_factor_and_signs_in_with_a_code(live_server, page: Page, clinic):
    doctor = make_staff(clinic, Role.CLINICIAN, username="dr.new", two_factor=False)
    sign_in(page, live_server.url, "dr.new")
    expect(page.get_by_role("heading", name="Set up two-factor sign-in")).to_be_visible()
    assert "/accounts/two-factor/set-up/" in page.url
    expect(page.locator("figure.qr-figure svg")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "2fa-enrol.png"), full_page=True)

    key = page.locator("[data-setup-key]").inner_text()
    app = TOTP(b32decode(key.replace(" ", "")))  # what the phone's app computes from the key
    page.get_by_role("textbox", name="Code").fill(f"{app.token():06d}")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Two-factor sign-in is set up")).to_be_visible()
    expect(page.locator("[data-recovery-codes] li")).to_have_count(10)
    assert TOTPDevice.objects.get(user=doctor).confirmed

    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "dr.new")  # asked for the code; enters the app's
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    assert page.url == f"{live_server.url}/patients/"


def test_a_recovery_code_signs_in_when_the_phone_is_not_at_hand(live_server, page: Page, clinic):
    make_staff(clinic, Role.NURSE, username="rn.away", two_factor=False)
    sign_in(page, live_server.url, "rn.away")
    key = page.locator("[data-setup-key]").inner_text()
    page.get_by_role("textbox", name="Code").fill(
        f"{TOTP(b32decode(key.replace(' ', ''))).token():06d}"
    )
    page.get_by_role("button", name="Confirm").click()
    first = page.locator("[data-recovery-codes] li").first.inner_text()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("rn.away")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    enter_code(page, first)
    expect(page.get_by_text("You signed in with a recovery code")).to_be_visible()
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
