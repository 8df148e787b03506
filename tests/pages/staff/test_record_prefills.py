"""Forms for a new record start from the last one where that helps: a new consultation from
the patient's last (the history and diagnosis, not the figures, discussion or decision), the
preparation review's medicines from the patient's list when the last review named none."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.journey import advance
from treatments.models import Course, CurrentMedicine, DiscontinueReason, State
from treatments.services import course_discontinue, course_start

pytestmark = pytest.mark.django_db


def test_a_later_course_starts_from_the_last_consultation(
    client_for, clinician, nurse, patient, lot, consent_form
):
    first = Course.objects.get(patient=patient)
    advance(first, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    old = first.consultations.get()
    course_discontinue(course=first, by=clinician, reason=DiscontinueReason.PATIENT_CHOICE)
    course_start(patient=patient, by=clinician, started_on=timezone.localdate())
    page = client_for(clinician).get(reverse("staff:consultation", args=[patient.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert form["history"].value() == old.history
    assert form["previous_preventives"].value() == old.previous_preventives
    assert form["chronic_migraine_confirmed"].value() is True
    assert form["medication_overuse"].value() == old.medication_overuse
    # Today's: the figures (the diary's or typed), the discussion, the decision, the notes.
    for name in ("headache_days_per_month", "migraine_days_per_month", "notes"):
        assert not form[name].value(), name
    assert form["decision"].value() == "undecided"
    assert not form["benefits_risks_discussed"].value()
    assert form["seen_on"].value() == timezone.localdate()
    assert 'data-started-from="consultation"' in page.content.decode()


def test_a_first_consultation_starts_empty(client_for, clinician, patient):
    page = client_for(clinician).get(reverse("staff:consultation", args=[patient.pk]))
    assert not page.context["form"]["history"].value()
    assert "data-started-from" not in page.content.decode()


def medicine(patient, by, name, dose="", since=None):
    return CurrentMedicine.objects.create(
        patient=patient, name=name, dose=dose, since=since, added_by=by, added_at=timezone.now()
    )


def test_the_preparation_starts_from_the_medicines_list(
    client_for, clinician, nurse, patient, lot, consent_form
):
    advance(Course.objects.get(patient=patient), State.CONSENT, clinician=clinician,
            nurse=nurse, lot=lot)  # fmt: skip
    medicine(patient, nurse, "Propranolol", "40 mg", date(2025, 1, 6))
    medicine(patient, nurse, "Aspirin")
    page = client_for(nurse).get(reverse("treatments:preparation", args=[patient.pk]))
    assert page.status_code == 200
    assert page.context["form"]["current_medicines"].value() == (
        "Aspirin\nPropranolol 40 mg, since 6 Jan 2025"
    )


def test_the_last_reviews_medicines_are_kept_over_the_list(
    client_for, clinician, nurse, patient, lot, consent_form
):
    from treatments import services

    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Continue all",
        current_medicines="Candesartan 8 mg",
        flags={"aminoglycosides": True},
    )
    medicine(patient, nurse, "Propranolol")
    page = client_for(nurse).get(reverse("treatments:preparation", args=[patient.pk]))
    assert page.context["form"]["current_medicines"].value() == "Candesartan 8 mg"
