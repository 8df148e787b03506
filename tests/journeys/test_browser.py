"""A clinician takes one patient from consultation to maintenance in a real Chromium."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from botoxcare.roles import Role
from tests.browser import sign_in
from tests.factories import (
    ConsentFormFactory,
    PatientFactory,
    ProductLotFactory,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


SHOTS = Path(__file__).resolve().parents[2] / "test-results"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_clinician_walks_a_patient_to_maintenance(live_server, page: Page, clinic):
    make_staff(clinic, Role.CLINICIAN, username="dr.okafor")
    ConsentFormFactory(clinic=clinic)
    lot = ProductLotFactory(clinic=clinic, lot_number="C6125C3")
    patient = PatientFactory(
        clinic=clinic, first_name="Ruth", last_name="Ellison", identifier="H424242"
    )
    today = timezone.localdate()

    sign_in(page, live_server.url, "dr.okafor")
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()

    page.get_by_label("Name or identifier").fill("H424242")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ellison, Ruth").click()
    expect(page.get_by_role("heading", name="Ruth Ellison")).to_be_visible()

    # Step 1: the evaluation is refused, with the reason on the page, until recorded.
    expect(page.locator("[data-refusal=no_consultation]")).to_be_visible()
    expect(page.get_by_role("button", name="Complete evaluation")).to_be_disabled()
    page.get_by_role("link", name="Record consultation").click()
    # The preventives tried, on the patient's list: the start rule counts three classes.
    for drug_class, drug, outcome in (
        ("beta_blocker", "Propranolol", "ineffective"),
        ("tca", "Amitriptyline", "not_tolerated"),
        ("topiramate", "Topiramate", "ineffective"),
    ):
        page.get_by_text("Add a preventive treatment").click()
        page.locator("#id_p-drug_class").select_option(drug_class)
        page.locator("#id_p-drug").fill(drug)
        page.locator("#id_p-outcome").select_option(outcome)
        page.get_by_role("button", name="Add preventive").click()
        expect(
            page.get_by_text("The preventive treatment is on the patient's list.")
        ).to_be_visible()
    expect(page.locator("[data-start-rule='3']")).to_be_visible()
    page.locator("#id_history").fill("Daily headache for two years; no red flags.")
    page.get_by_label("Headache days per month").fill("22")
    page.get_by_label("Chronic migraine confirmed (ICHD-3)").check()
    page.get_by_label("Benefits, risks and expected outcomes discussed").check()
    page.get_by_label("Medication overuse").select_option("none")
    page.get_by_label("Decision").select_option("proceed")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Consultation recorded.")).to_be_visible()
    page.get_by_role("button", name="Complete evaluation").click()
    expect(page.get_by_text("Evaluation complete")).to_be_visible()

    # Step 2: consent and preparation, the step waits for both.
    expect(page.locator("[data-refusal=no_consent]")).to_be_visible()
    page.get_by_role("link", name="Record preparation review").click()
    page.get_by_label("Advice given").fill("Pause fish-oil supplements for 3 days.")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record signed consent").click()
    page.get_by_label("The signed paper form is filed in the patient's notes").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Confirm ready for injection").click()
    expect(page.get_by_text("ready for injection").first).to_be_visible()

    # Step 3: an overdose is refused on the form, then the PREEMPT doses are accepted.
    page.get_by_role("link", name="Record injection session").click()
    page.get_by_label("Vial 1: Lot").select_option(str(lot.pk))
    page.get_by_label("Vial 1: Saline (mL)").fill("4.0")
    expect(page.locator("#total-units")).to_have_text("155")
    page.get_by_label("Temporalis (bilateral): units").fill("70")
    expect(page.locator("#total-units")).to_have_text("185")  # updated as typed
    page.get_by_role("button", name="Save").click()
    summary = page.locator(".errors [data-refusal=muscle_units_above_max]")
    expect(summary).to_contain_text("Temporalis (bilateral): units")
    expect(page.locator("tr.has-error [data-refusal=muscle_units_above_max]")).to_be_visible()
    expect(page.locator("table.sites[data-max-units] tr.has-error")).to_contain_text(
        "Temporalis (bilateral)"
    )
    # The vial still gives 155 U: the sites' 185 U are not what the vials gave.
    expect(page.locator("table.vials [data-refusal=vials_given_not_sites]")).to_be_visible()
    shot(page, "refused-injection")
    page.get_by_label("Temporalis (bilateral): units").fill("40")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("the course is now at post-treatment care")).to_be_visible()

    # Step 4: aftercare and follow-up; then step 5.
    page.get_by_role("link", name="Issue aftercare and book follow-up").click()
    page.get_by_label("The written aftercare instructions were given to the patient").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Start maintenance").click()
    expect(page.get_by_text("The course is now in maintenance")).to_be_visible()
    due = today + timedelta(weeks=12)
    expect(page.locator(".due")).to_contain_text(f"{due.day} {due:%b %Y}")
    expect(page.locator(".timeline")).to_contain_text("155 units in 31 sites")
    expect(page.get_by_text(re.compile("Post-treatment care → 5 · Monitoring"))).to_be_visible()
    shot(page, "maintenance")
    assert patient.courses.get().state == "maintenance"


def test_an_invited_patient_sets_up_a_login_on_a_phone(
    live_server, browser, clinic, django_capture_on_commit_callbacks
):
    """The join page's form posts from a real browser (CSRF and the Referrer-Policy agree) at a
    phone's width, and the patient lands on their portal."""
    from django.core import mail

    from patients.services import portal_invite
    from tests.conftest import join_path

    staff = make_staff(clinic, Role.RECEPTIONIST)
    patient = PatientFactory(clinic=clinic, first_name="Ruth", email="ruth@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        portal_invite(patient=patient, by=staff, base_url="http://testserver")
    path = join_path(mail.outbox[-1].body)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Set up your portal login")).to_be_visible()
    page.locator("#id_password1").fill("plum-orchard-lantern-42")
    page.locator("#id_password2").fill("plum-orchard-lantern-42")
    page.get_by_role("button", name="Create my login").click()
    expect(page.get_by_role("heading", name="Hello, Ruth")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "portal-joined")
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", name="Please sign out first")).to_be_visible()
    context.close()
