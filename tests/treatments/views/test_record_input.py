"""The record forms refuse dates and figures that cannot be true: before the patient's birth
or the course's start, at the ends of the calendar, counts no patient has; each explained on
the form (never a 500) and nothing recorded."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.validators import LOT_EXPIRY_YEARS
from tests.journey import advance
from tests.web import injection_post, url
from treatments.models import (
    Consent,
    Consultation,
    InjectionSession,
    PreparationReview,
    ProductLot,
    State,
)

pytestmark = pytest.mark.django_db


def consultation(**changes):
    data = {
        "seen_on": timezone.localdate().isoformat(),
        "history": "Daily headaches for years.",
        "previous_preventives": "Topiramate, amitriptyline, propranolol.",
        "failed_preventives_count": "3",
        "headache_days_per_month": "20",
        "migraine_days_per_month": "12",
        "chronic_migraine_confirmed": "on",
        "medication_overuse": "none",
        "benefits_risks_discussed": "on",
        "decision": "proceed",
    }
    return {**data, **changes}


def post(client, name, patient, data):
    return client.post(url(name, patient), data)


def assert_refused(response, code):
    assert response.status_code == 400, response.status_code
    assert f'data-refusal="{code}"' in response.content.decode()


def test_a_consultation_before_the_patients_birth_is_refused(client_for, patient, clinician):
    response = post(
        client_for(clinician), "consultation", patient, consultation(seen_on="1970-01-01")
    )
    assert_refused(response, "before_birth")
    assert not Consultation.objects.exists()


def test_a_consultation_before_the_course_started_is_refused(client_for, patient, clinician):
    before = patient.courses.get().started_on - timedelta(days=1)
    response = post(
        client_for(clinician), "consultation", patient, consultation(seen_on=before.isoformat())
    )
    assert_refused(response, "before_course_start")
    assert not Consultation.objects.exists()


def test_a_preventive_of_32768_weeks_is_refused(client_for, patient, clinician):
    """The typed count is gone (the list is counted); its bound lives on the list's weeks."""
    before = patient.preventive_treatments.count()
    response = client_for(clinician).post(
        reverse("treatments:list-add", args=[patient.pk, "preventives"]),
        {"p-drug_class": "candesartan", "p-outcome": "ineffective", "p-duration_weeks": "32768"},
        follow=True,
    )
    assert "list_entry_invalid" in response.content.decode()
    assert patient.preventive_treatments.count() == before


def test_a_consent_before_the_patients_birth_is_refused(
    client_for, patient, clinician, nurse, consent_form, lot
):
    advance(patient.courses.get(), State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    response = post(
        client_for(clinician),
        "consent",
        patient,
        {"signer_name": patient.full_name, "signed_on": "1901-01-01", "paper_on_file": "on"},
    )
    assert_refused(response, "before_birth")
    assert not Consent.objects.exists()


def test_a_preparation_review_dated_0001_is_refused_not_a_500(
    client_for, patient, clinician, nurse, consent_form, lot
):
    advance(patient.courses.get(), State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    response = post(
        client_for(nurse),
        "preparation",
        patient,
        {"reviewed_on": "0001-01-01", "advice": "Avoid aspirin.", "current_medicines": ""},
    )
    assert_refused(response, "date_out_of_range")
    assert not PreparationReview.objects.exists()


def test_a_session_in_9999_is_refused(client_for, patient, clinician, nurse, consent_form, lot):
    advance(patient.courses.get(), State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    response = post(
        client_for(clinician), "injection", patient, injection_post(lot, date(9999, 12, 31))
    )
    assert_refused(response, "date_out_of_range")
    assert not InjectionSession.objects.exists()


def test_a_lot_expiring_decades_ahead_is_refused(client_for, clinic, nurse):
    far = timezone.localdate() + timedelta(days=366 * (LOT_EXPIRY_YEARS + 1))
    response = client_for(nurse).post(
        reverse("treatments:lots"),
        {
            "product": "onabotulinumtoxinA",
            "lot_number": "C9999C3",
            "expiry_date": far.isoformat(),
            "vial_units": "200",
        },
    )
    assert_refused(response, "expiry_too_far")
    assert not ProductLot.objects.filter(lot_number="C9999C3").exists()
