"""Least privilege on the patient page (docs/PERMISSIONS.md): reception and the clinic admin
see who the patient is, how to reach them, their visits and their step; not what the clinical
record says (medication overuse, flagged medicines, why a course stopped)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from treatments import services
from treatments.models import Course, MedicationOveruse

pytestmark = pytest.mark.django_db

DETAIL = "Anaphylaxis after the last session"


@pytest.fixture
def overuse_course(patient, clinician):
    """A consultation recording unmanaged medication overuse: the next step waits for it."""
    course = Course.objects.get(patient=patient)
    services.consultation_record(
        course=course,
        by=clinician,
        seen_on=timezone.localdate(),
        history="Daily headaches for two years.",
        previous_preventives="Topiramate, amitriptyline, propranolol",
        headache_days_per_month=20,
        migraine_days_per_month=10,
        chronic_migraine_confirmed=True,
        benefits_risks_discussed=True,
        medication_overuse=MedicationOveruse.PRESENT,
        decision="proceed",
    )
    return course


def page(client, patient) -> str:
    response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_what_a_step_waits_for_is_shown_to_clinical_roles_only(
    client_for, patient, overuse_course, clinician, nurse, receptionist, clinic_admin
):
    for reader in (clinician, nurse):
        assert 'data-refusal="overuse_unmanaged"' in page(client_for(reader), patient)
    for reader in (receptionist, clinic_admin):
        text = page(client_for(reader), patient)
        assert "data-refusal=" not in text
        assert "overuse" not in text.lower()
        assert patient.phone in text  # contact and step stay
        assert 'aria-current="step"' in text


def test_why_a_course_stopped_is_shown_to_clinical_roles_only(
    client_for, patient, course, clinician, receptionist, clinic_admin
):
    services.course_discontinue(course=course, by=clinician, reason="adverse_event", detail=DETAIL)
    assert DETAIL in page(client_for(clinician), patient)
    for reader in (receptionist, clinic_admin):
        text = page(client_for(reader), patient)
        assert DETAIL not in text
        assert "Adverse event" not in text
        assert "Discontinued" in text  # the step itself is not clinical
