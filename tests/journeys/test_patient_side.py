"""The patient's side in a real Chromium: a visitor asks for a call back on a phone; reception
claims it and registers the patient; staff invite them; the patient sets a password on a
390 px screen and signs consent; a clinician records the session; the patient reads the
aftercare."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from botoxcare.roles import Role
from patients.models import CallbackRequest, Patient
from tests.browser import signed_in
from tests.factories import ConsentFormFactory, ProductLotFactory, make_staff
from tests.journey import advance
from tests.pdf import pdf_text
from treatments import services
from treatments.models import Course, State

from .test_browser import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def download(page: Page, name: re.Pattern[str]) -> str:
    """Download a document from the portal's list; its text, as pdftotext reads it."""
    with page.expect_download() as started:
        page.get_by_role("link", name=name).click()
    return pdf_text(Path(started.value.path()).read_bytes())


def fits(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_call_back_to_signed_consent_to_aftercare(live_server, browser, clinic):
    url = live_server.url
    make_staff(clinic, Role.RECEPTIONIST, username="reception")
    doctor = make_staff(clinic, Role.CLINICIAN, username="dr.okafor")
    nurse = make_staff(clinic, Role.NURSE, username="nurse")
    ConsentFormFactory(clinic=clinic)
    lot = ProductLotFactory(clinic=clinic)

    # A visitor asks for a call back from the clinic's page, on a phone.
    visitor = browser.new_context(viewport=PHONE).new_page()
    visitor.goto(url + "/")
    expect(visitor.get_by_role("heading", name=clinic.name)).to_be_visible()
    visitor.get_by_role("link", name="Call me").click()
    visitor.get_by_label("Your name").fill("Ruth Ellison")
    visitor.get_by_label("Phone number").fill("07700 900424")
    visitor.get_by_label("Best times to call").fill("Weekday mornings")
    visitor.get_by_label("I would like to be seen (new referral)").check()
    visitor.get_by_label("The clinic may call me on this number").check()
    fits(visitor, PHONE["width"])
    shot(visitor, "side-call-me")
    visitor.get_by_role("button", name="Send my request").click()
    expect(visitor.get_by_role("heading", name="Thank you: we will call you")).to_be_visible()
    assert "Ruth" not in visitor.url and "07700" not in visitor.url

    # Reception claims it, records the call and registers the patient from it.
    desk = signed_in(browser, url, "reception")
    desk.get_by_role("link", name="Call-backs").click()
    desk.get_by_role("link", name="Ruth Ellison").click()
    desk.get_by_role("button", name="I'll call them").click()
    desk.get_by_label("Consultation booked").check()
    desk.get_by_label("Note").fill("Referral letter from the GP on its way.")
    desk.get_by_role("button", name="Save the call").click()
    expect(desk.get_by_text("Call recorded.")).to_be_visible()
    desk.get_by_role("link", name="Register as a new patient").click()
    expect(desk.get_by_label("First name")).to_have_value("Ruth")
    desk.get_by_label("Identifier").fill("H424242")
    desk.get_by_label("Date of birth").fill("1979-04-02")
    desk.get_by_label("Email").fill("ruth@example.org")
    desk.get_by_role("button", name="Register").click()
    expect(desk.get_by_role("heading", name="Ruth Ellison")).to_be_visible()
    patient = Patient.objects.get(identifier="H424242")
    assert CallbackRequest.objects.get().patient == patient

    # Staff invite the patient; the patient sets a password on the phone.
    desk.get_by_role("button", name="Invite to portal").click()
    expect(desk.get_by_text("Portal invitation sent by email")).to_be_visible()
    join = re.search(r"https?://[^/\s]+(/portal/join/[^/\s]+/)", mail.outbox[-1].body)
    assert join, "no join link in the invitation"
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.goto(url + join.group(1))
    phone.locator("#id_password1").fill("plum-orchard-lantern-42")
    phone.locator("#id_password2").fill("plum-orchard-lantern-42")
    phone.get_by_role("button", name="Create my login").click()
    expect(phone.get_by_role("heading", name="Hello, Ruth")).to_be_visible()

    # The clinic sees her and prepares her; the nurse sends the consent to her portal.
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=doctor, nurse=nurse, lot=lot)
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Pause fish-oil supplements for 3 days.",
        flags={},
    )
    ward = signed_in(browser, url, "nurse")
    ward.goto(f"{url}/patients/{patient.pk}/")
    ward.get_by_role("button", name="Send to sign in the portal").click()
    expect(ward.locator(".msg.success")).to_contain_text("Consent sent")

    # She reads and signs it on her phone.
    phone.goto(url + "/portal/")
    phone.get_by_role("link", name="Read and sign").click()
    expect(phone.get_by_text("Pause fish-oil supplements for 3 days.")).to_be_visible()
    for box in phone.locator("input[name=statements]").all():
        box.check()
    phone.get_by_label("Type your full name to sign").fill("ruth ellison")
    fits(phone, PHONE["width"])
    shot(phone, "side-consent")
    phone.get_by_role("button", name="Sign my consent").click()
    expect(phone.get_by_text("your consent is signed")).to_be_visible()
    # …and downloads the signed copy as a PDF.
    consent_pdf = download(phone, re.compile("^Signed consent"))
    assert "ruth ellison" in consent_pdf.lower() and "Pause fish-oil supplements" in consent_pdf

    # The course goes on: confirmed, injected, aftercare issued.
    ward.reload()
    expect(ward.locator(".done", has_text="Signed in the portal")).to_be_visible()
    ward.get_by_role("button", name="Confirm ready for injection").click()
    expect(ward.get_by_text("ready for injection").first).to_be_visible()
    clinic_doctor = signed_in(browser, url, "dr.okafor")
    clinic_doctor.goto(f"{url}/patients/{patient.pk}/")
    clinic_doctor.get_by_role("link", name="Record injection session").click()
    clinic_doctor.get_by_label("Vial 1: Lot").select_option(str(lot.pk))
    clinic_doctor.get_by_label("Vial 1: Saline (mL)").fill("4.0")
    clinic_doctor.get_by_role("button", name="Save").click()
    expect(clinic_doctor.get_by_text("the course is now at post-treatment care")).to_be_visible()
    ward.reload()
    ward.get_by_role("link", name="Issue aftercare and book follow-up").click()
    ward.get_by_label("The written aftercare instructions were given to the patient").check()
    ward.get_by_role("button", name="Save").click()
    expect(ward.get_by_text("Aftercare issued and follow-up booked.")).to_be_visible()

    # She reads her aftercare on the phone.
    phone.goto(url + "/portal/")
    phone.get_by_role("link", name=re.compile("After your session on")).click()
    expect(phone.get_by_role("heading", name="Call at once if…")).to_be_visible()
    fits(phone, PHONE["width"])
    shot(phone, "side-aftercare")
    phone.goto(url + "/portal/")
    aftercare_pdf = download(phone, re.compile("^Aftercare instructions"))
    assert "155" in aftercare_pdf and lot.lot_number in aftercare_pdf
