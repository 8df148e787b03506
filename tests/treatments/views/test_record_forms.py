"""The forms that record each step: bad input kept and explained, refusals on their fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.journey import advance
from tests.web import detail, injection_post, state_of, url
from treatments import services
from treatments.models import Course, PreparationReview, State

pytestmark = pytest.mark.django_db


def test_consultation_form_refuses_a_confirmation_the_figures_contradict(
    client_for, patient, clinician
):
    response = client_for(clinician).post(
        reverse("staff:consultation", args=[patient.pk]),
        {
            "seen_on": timezone.localdate().isoformat(),
            "history": "h",
            "previous_preventives": "p",
            "failed_preventives_count": "3",
            "headache_days_per_month": "9",
            "chronic_migraine_confirmed": "on",
            "decision": "proceed",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="figures_below_chronic"' in page
    assert 'data-refusal="required"' in page  # medication overuse must be chosen


def test_second_preparation_review_starts_from_the_first(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Avoid ibuprofen for 3 days.",
        current_medicines="Ginkgo",
        flags={"anticholinergics": True},
    )
    page = client_for(clinician).get(reverse("treatments:preparation", args=[patient.pk]))
    text = page.content.decode()
    assert "Avoid ibuprofen for 3 days." in text and "Ginkgo" in text
    assert 'name="anticholinergics" id="id_anticholinergics" checked' in text
    assert PreparationReview.objects.count() == 1


def test_a_cancelled_follow_up_can_be_rebooked(
    client_for, patient, clinician, nurse, consent_form, lot, receptionist
):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    services.aftercare_issue(
        course=course,
        by=nurse,
        issued_on=timezone.localdate(),
        comfort_measures="",
        follow_up_at=timezone.now() + timedelta(days=28),
    )
    services.appointment_close(
        appointment=course.aftercares.get().follow_up,
        by=receptionist,
        status="cancelled",
        reason="Clinic closed",
    )
    client = client_for(nurse)
    page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert "Book a new follow-up visit" in page and 'data-refusal="no_follow_up"' in page
    when = timezone.localtime(timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT10:00")
    response = client.post(
        reverse("treatments:follow-up", args=[patient.pk]), {"follow_up_at": when}
    )
    assert response.status_code == 302
    services.course_maintenance_start(course=course, by=nurse)
    course.refresh_from_db()
    assert course.state == State.MAINTENANCE


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


def test_the_follow_up_is_booked_with_the_sessions_clinician_unless_changed(
    client_for, patient, clinician, nurse, consent_form, lot, receptionist
):
    from patients.services import appointment_book

    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    client = client_for(nurse)
    form = client.get(reverse("treatments:aftercare", args=[patient.pk])).content.decode()
    assert f'<option value="{clinician.pk}" selected>' in form  # who gave the session
    when = timezone.localtime(timezone.now() + timedelta(days=28)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    # The clinician is busy then: refused like any booking, nothing issued.
    busy = appointment_book(
        patient=PatientFactory(clinic=patient.clinic), by=receptionist, kind="review",
        starts_at=when, minutes=30, clinician=clinician,
    )  # fmt: skip
    data = {
        "issued_on": timezone.localdate().isoformat(),
        "instructions_given": "on",
        "follow_up_at": when.strftime("%Y-%m-%dT%H:%M"),
        "follow_up_clinician": clinician.pk,
    }
    refused = client.post(reverse("treatments:aftercare", args=[patient.pk]), data)
    assert 'data-refusal="appointment_clash"' in refused.content.decode()
    assert not course.aftercares.exists()
    busy.delete()
    client.post(reverse("treatments:aftercare", args=[patient.pk]), data)
    follow_up = course.aftercares.get().follow_up
    assert (follow_up.clinician, follow_up.starts_at) == (clinician, when)
