"""The pages of a consent withdrawn (recorded by staff, shown on the timeline with who, when and
why), its renewal offered at step 3, and a consultation proceeding against the start rule with
the clinician's justification on the timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from patients.models import AppointmentKind, AppointmentStatus
from patients.services import appointment_book
from tests.factories import PatientFactory
from tests.journey import advance
from tests.pages.staff.test_consultation_diary import post_data
from tests.web import detail, url
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

TOLD = "Rang to say the side effects were too much."
WITHDRAW = "consent-withdraw"


@pytest.fixture
def at_injection(patient, clinician, nurse, consent_form, lot) -> Course:
    return advance(
        Course.objects.get(patient=patient),
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=10),
    )


def withdrawal(day, **changes):
    return {"withdrawn_on": day.isoformat(), "reason": TOLD, **changes}


def test_the_patient_page_leads_to_the_withdrawal_form(client_for, at_injection, patient, nurse):
    page = client_for(nurse).get(detail(patient)).content.decode()
    assert url(WITHDRAW, patient) in page
    form = client_for(nurse).get(url(WITHDRAW, patient)).content.decode()
    assert 'name="withdrawn_on"' in form and 'name="reason"' in form
    assert 'name="cancel_visits"' not in form  # no injection visit booked


def test_recorded_by_a_nurse_it_is_on_the_timeline_with_who_when_and_why(
    client_for, at_injection, patient, nurse
):
    told_on = timezone.localdate() - timedelta(days=1)
    response = client_for(nurse).post(url(WITHDRAW, patient), withdrawal(told_on))
    assert response.status_code == 302
    page = client_for(nurse).get(detail(patient)).content.decode()
    assert "<strong>Consent withdrawn</strong> · " + nurse.get_full_name() in page
    assert f"Reason: {TOLD}" in page
    assert "Told to the clinic; recorded" in page
    assert 'data-warning="consent-withdrawn"' in page
    # At step 3 with no valid consent: a new consent is offered, and the session waits.
    assert url("step", patient, "renew_consent") in page
    assert 'data-refusal="consent_withdrawn"' in page


def test_a_future_date_is_refused_on_its_field(client_for, at_injection, patient, nurse):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(nurse).post(url(WITHDRAW, patient), withdrawal(tomorrow))
    assert response.status_code == 400
    assert 'data-refusal="withdrawal_future"' in response.content.decode()
    assert at_injection.consents.get().withdrawn_on is None


def test_booked_injection_visits_are_offered_for_cancelling(
    client_for, at_injection, patient, nurse, clinician
):
    visit = appointment_book(
        patient=patient,
        by=nurse,
        kind=AppointmentKind.INJECTION,
        clinician=clinician,
        starts_at=timezone.now() + timedelta(days=5),
        minutes=30,
    )
    form = client_for(nurse).get(url(WITHDRAW, patient)).content.decode()
    assert 'name="cancel_visits"' in form and "Cancel the booked injection visit:" in form
    client_for(nurse).post(
        url(WITHDRAW, patient), withdrawal(timezone.localdate(), cancel_visits="on")
    )
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED


def test_reception_may_not_and_another_clinics_patient_is_404(
    client_for, at_injection, patient, receptionist, clinician, other_clinic
):
    assert client_for(receptionist).get(url(WITHDRAW, patient)).status_code == 403
    stranger = PatientFactory(clinic=other_clinic)
    assert client_for(clinician).get(url(WITHDRAW, stranger)).status_code == 404
    response = client_for(clinician).post(url(WITHDRAW, stranger), withdrawal(timezone.localdate()))
    assert response.status_code == 404


def test_renewal_is_offered_at_step_3_only_from_the_warning(
    client_for, patient, clinician, nurse, consent_form, lot, clinic
):
    cfg = clinic.settings
    signed = timezone.localdate() - timedelta(
        days=cfg.consent_valid_days - cfg.consent_warning_days - 1
    )
    course = advance(
        Course.objects.get(patient=patient),
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=signed,
    )
    renew = url("step", patient, "renew_consent")
    assert renew not in client_for(nurse).get(detail(patient)).content.decode()
    # The next day the consent is within the warning: the page offers it, and it is taken.
    with_warning = timezone.now() + timedelta(days=1)
    with time_machine.travel(with_warning):
        page = client_for(nurse).get(detail(patient)).content.decode()
        assert renew in page and 'data-warning="consent-expiring"' in page
        assert client_for(nurse).post(renew).status_code == 302
    course.refresh_from_db()
    assert course.state == State.CONSENT


def test_renewal_refused_on_the_step_page_says_why(client_for, at_injection, patient, nurse):
    response = client_for(nurse).post(url("step", patient, "renew_consent"), follow=True)
    assert "consent_still_valid" in response.content.decode()
    at_injection.refresh_from_db()
    assert at_injection.state == State.INJECTION


def test_the_consultation_asks_for_a_justification_against_the_start_rule(
    client_for, patient, clinician, clinic
):
    patient.preventive_treatments.filter(drug_class="tca").delete()  # two classes failed
    consult = url("consultation", patient)
    response = client_for(clinician).post(consult, post_data())
    assert response.status_code == 400
    assert 'data-refusal="start_rule_needs_justification"' in response.content.decode()
    why = "Third preventive contraindicated: asthma."
    response = client_for(clinician).post(consult, post_data(start_rule_justification=why))
    assert response.status_code == 302
    page = client_for(clinician).get(detail(patient)).content.decode()
    assert f"Start rule not met; proceeding because: {why}" in page
    # … and the evaluation is not held up by the rule.
    assert 'data-refusal="start_rule_not_met"' not in page


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_a_withdrawn_consent_adds_no_query_to_the_patient_page(
    client_for, at_injection, patient, nurse
):
    client = client_for(nurse)
    client.get(detail(patient))  # warm the session
    before = count(client, detail(patient))
    client.post(url(WITHDRAW, patient), withdrawal(timezone.localdate()))
    assert count(client, detail(patient)) <= before
