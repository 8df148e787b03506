"""A clinician and a nurse walk a patient through all five steps in the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.web import detail, injection_post, state_of, url
from treatments.models import CourseTransition, State

pytestmark = pytest.mark.django_db


def test_clinician_and_nurse_walk_a_patient_through_all_five_steps(
    client_for, patient, clinician, nurse, consent_form, lot
):
    doc, rn = client_for(clinician), client_for(nurse)
    today = timezone.localdate()

    page = doc.get(detail(patient))
    assert "Record consultation" in page.content.decode()
    assert 'data-refusal="no_consultation"' in page.content.decode()

    response = doc.post(
        url("consultation", patient),
        {
            "seen_on": today.isoformat(),
            "history": "Daily headache.",
            "previous_preventives": "Propranolol; topiramate.",
            "failed_preventives_count": "3",
            "headache_days_per_month": "20",
            "migraine_days_per_month": "10",
            "chronic_migraine_confirmed": "on",
            "benefits_risks_discussed": "on",
            "medication_overuse": "none",
            "decision": "proceed",
            "notes": "",
        },
    )
    assert response.status_code == 302
    doc.post(url("step", patient, "complete_evaluation"))
    assert state_of(patient) == State.CONSENT

    rn.post(
        url("preparation", patient),
        {"reviewed_on": today.isoformat(), "advice": "Pause fish oil 3 days before."},
    )
    rn.post(
        url("consent", patient),
        {"signer_name": patient.full_name, "signed_on": today.isoformat(), "paper_on_file": "on"},
    )
    rn.post(url("step", patient, "record_consent"))
    assert state_of(patient) == State.INJECTION

    response = doc.post(url("injection", patient), injection_post(lot, today))
    assert response.status_code == 302, response.content.decode()
    assert state_of(patient) == State.POST_CARE

    follow_up = (today + timedelta(weeks=4)).isoformat() + "T10:30"
    rn.post(
        url("aftercare", patient),
        {
            "issued_on": today.isoformat(),
            "comfort_measures": "Cold compress.",
            "instructions_given": "on",
            "follow_up_at": follow_up,
        },
    )
    rn.post(reverse("treatments:maintenance", args=[patient.pk]))
    assert state_of(patient) == State.MAINTENANCE

    page = doc.get(detail(patient)).content.decode()
    due = today + timedelta(weeks=12)
    assert f"due <strong>{due.day} {due:%b %Y}</strong>" in page
    for entry in (
        "Consultation",
        "Consent signed",
        "Preparation review",
        "Injection session",
        "155 units in 31 sites",
        "Aftercare issued",
    ):
        assert entry in page
    assert CourseTransition.objects.filter(course__patient=patient).count() == 4
