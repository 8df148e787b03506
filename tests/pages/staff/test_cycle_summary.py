"""The one-page cycle summary PDF: the clinician's with the figures and flags, the patient's
in plain words without the flags; only the patient's own and the clinic's clinical roles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from diary.models import DiaryEntry
from tests.journey import advance
from tests.pdf import pdf_text
from treatments.models import Course, InjectionSession, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(patient, clinician, nurse, lot, consent_form):
    """In maintenance since a session 30 days ago; a diary of 20 headache days in the 28 days
    before it and 6 in the 28 after."""
    patient.user = get_user_model().objects.create_user("summary", password="a-long-pass-77")
    patient.save()
    course = Course.objects.get(patient=patient)
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=40),
    )
    session = InjectionSession.objects.filter(course__patient=patient).latest("session_date")
    for n in range(1, 29):
        for day, ache in ((session.session_date - timedelta(days=n), n <= 20),
                          (session.session_date + timedelta(days=n - 1), n <= 6)):  # fmt: skip
            if day < timezone.localdate():
                DiaryEntry.objects.create(
                    patient=patient,
                    day=day,
                    headache=ache,
                    duration_hours=6 if ache else None,
                    entered_by=patient.user,
                )
    return patient


def test_the_clinicians_summary_has_the_figures_and_the_flags(client_for, clinician, treated):
    response = client_for(clinician).get(reverse("staff:cycle-summary", args=[treated.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert "Cycle summary" in text
    assert "Baseline" in text and "20" in text
    assert "Stop rule" in text and "Medication overuse" in text
    assert "Next re-treatment" in text


def test_the_patients_summary_is_in_plain_words_without_flags(client_for, treated):
    response = client_for(treated.user).get(reverse("portal:cycle-summary"))
    text = pdf_text(
        b"".join(response.streaming_content) if response.streaming else response.content
    )
    assert "Your treatment so far" in text
    assert "you had 20 headache days" in " ".join(text.split())
    assert "Stop rule" not in text and "overuse" not in text.lower()


def test_reception_and_other_patients_get_none(client_for, receptionist, treated, clinic):
    from tests.factories import PatientFactory

    url = reverse("staff:cycle-summary", args=[treated.pk])
    assert client_for(receptionist).get(url).status_code == 403
    other = PatientFactory(clinic=clinic)
    other.user = get_user_model().objects.create_user("not-me", password="a-long-pass-77")
    other.save()
    mine = client_for(other.user).get(reverse("portal:cycle-summary"))
    text = pdf_text(mine.content)
    assert treated.full_name not in text  # their own summary, never someone else's
