"""The pathway through the pages, as staff click it: each step, each refusal explained."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import PREEMPT_MUSCLES
from treatments.models import Course, CourseTransition, State

from .journey import advance

pytestmark = pytest.mark.django_db


def detail(patient):
    return reverse("staff:patient", args=[patient.pk])


def url(name, patient, *args):
    return reverse(f"treatments:{name}", args=[patient.pk, *args])


def injection_post(lot, day, **changes):
    data = {
        "session_date": day.isoformat(),
        "lot": lot.pk,
        "diluent_ml": "4.0",
        "units_discarded": "45",
        "tolerability": "Well tolerated.",
    }
    for muscle, limit in PREEMPT_MUSCLES.items():
        data[f"{muscle}_sites"] = str(limit["fixed_sites"])
        data[f"{muscle}_units"] = str(limit["fixed_units"])
    data.update(changes)
    return data


def state_of(patient):
    return Course.objects.filter(patient=patient).order_by("-started_on", "-id").first().state


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


def test_refused_evaluation_is_explained_and_changes_nothing(client_for, patient, clinician):
    doc = client_for(clinician)
    response = doc.post(url("step", patient, "complete_evaluation"), follow=True)
    page = response.content.decode()
    assert 'class="msg error" data-refusal="no_consultation"' in page
    assert state_of(patient) == State.CONSULTATION


def test_invalid_consultation_form_keeps_input_and_saves_nothing(client_for, patient, clinician):
    response = client_for(clinician).post(
        url("consultation", patient),
        {
            "seen_on": (timezone.localdate() + timedelta(days=2)).isoformat(),
            "history": "Kept text",
            "previous_preventives": "",
            "headache_days_per_month": "40",
            "medication_overuse": "none",
            "decision": "proceed",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="future_date"' in page
    assert "A month has at most 31 days." in page
    assert "Kept text" in page
    assert not Course.objects.get(patient=patient).consultations.exists()


def test_refused_consent_step_lists_what_is_missing(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    page = client_for(nurse).post(url("step", patient, "record_consent"), follow=True)
    text = page.content.decode()
    assert 'data-refusal="no_consent"' in text
    assert state_of(patient) == State.CONSENT


def test_overdose_session_is_refused_on_the_form(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    response = client_for(clinician).post(
        url("injection", patient),
        injection_post(lot, timezone.localdate(), trapezius_sites="12", trapezius_units="60"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was saved." in page
    summary = page[page.index('class="errors"') : page.index("</ul>", page.index('class="errors"'))]
    assert 'data-refusal="muscle_units_above_max"' in summary
    assert "Trapezius (bilateral): units: " in summary  # the row's label, then its refusal
    # The refusal sits on the trapezius row, and the total row adds up what was entered.
    row = page[
        page.index("Trapezius (bilateral)</th>") - 200 : page.index("Trapezius (bilateral)</th>")
    ]
    assert 'class="has-error"' in row
    assert 'id="total-units" aria-live="polite">185</output>' in page
    assert state_of(patient) == State.INJECTION
    assert not course.sessions.exists()


def test_refused_maintenance_is_explained(client_for, patient, clinician, nurse, consent_form, lot):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    page = (
        client_for(nurse)
        .post(reverse("treatments:maintenance", args=[patient.pk]), follow=True)
        .content.decode()
    )
    assert 'data-refusal="aftercare_not_issued"' in page
    assert state_of(patient) == State.POST_CARE


def test_early_retreatment_refused_without_override(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    response = client_for(clinician).post(
        url("retreatment", patient),
        {
            "reviewed_on": timezone.localdate().isoformat(),
            "notes": "Doing well.",
        },
    )
    assert response.status_code == 400
    assert 'data-refusal="window_not_open"' in response.content.decode()
    assert state_of(patient) == State.MAINTENANCE


def test_step_that_is_not_possible_in_this_state_is_refused(client_for, patient, clinician):
    response = client_for(clinician).post(url("step", patient, "record_consent"), follow=True)
    assert 'data-refusal="step_not_possible"' in response.content.decode()
    assert state_of(patient) == State.CONSULTATION


def test_form_for_another_step_redirects_with_a_message(client_for, patient, clinician):
    response = client_for(clinician).get(url("injection", patient), follow=True)
    assert 'data-refusal="wrong_step"' in response.content.decode()


def test_discontinue_through_the_page(client_for, patient, clinician):
    doc = client_for(clinician)
    response = doc.post(url("discontinue", patient), {"reason": "other", "detail": ""})
    assert response.status_code == 400
    assert 'data-refusal="detail_required"' in response.content.decode()
    doc.post(url("discontinue", patient), {"reason": "patient_choice", "detail": "Moving away"})
    assert state_of(patient) == State.DISCONTINUED
    page = doc.get(detail(patient)).content.decode()
    assert "Start a new treatment course" in page
    doc.post(reverse("treatments:course-start", args=[patient.pk]))
    assert state_of(patient) == State.CONSULTATION


def test_renew_consent_asks_first_and_get_changes_nothing(
    client_for, patient, clinician, nurse, consent_form, lot
):
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    client = client_for(nurse)
    page = client.get(detail(patient)).content.decode()
    confirm_url = url("step", patient, "renew_consent")
    assert f'href="{confirm_url}"' in page  # a link to a confirmation, not a one-click button
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200
    assert "a new signed consent and a new preparation review are needed" in (
        confirm.content.decode()
    )
    assert state_of(patient) == State.MAINTENANCE
    client.post(confirm_url)
    assert state_of(patient) == State.CONSENT


def test_unknown_step_is_404(client_for, patient, clinician):
    assert client_for(clinician).post(url("step", patient, "teleport")).status_code == 404
