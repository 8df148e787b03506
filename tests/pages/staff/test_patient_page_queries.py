"""The patient page makes the same number of queries for a patient with a long history as for
one with a short one: many sessions, reviews, visits, reminders, contact attempts, documents,
MIDAS answers, plan versions, an earlier course and two years of diary (issue 11, issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.diary.factories import fill
from tests.journey import advance
from treatments import services
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

# Every query the page makes for a clinician, with the four every staff page makes (session,
# user, two-factor device, staff profile with clinic and roles) and the audit event's insert.
PAGE_QUERIES = 28


def page_queries(client, patient) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def cycle(course, day, *, clinician, nurse, lot):
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=day,
        notes="ok",
        now=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
    )
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=day)


def more_history(patient, course, *, clinician, n):
    """n more of each of the page's other lists: visits, contact attempts, MIDAS answers,
    plan versions, the medical lists' rows."""
    from diary.services.plans import plan_revise
    from diary.services.questionnaires import questionnaire_record
    from patients.models import AppointmentKind, ContactChannel, ContactOutcome
    from patients.services import contact_attempt_record
    from treatments.models import CurrentMedicine

    now = timezone.now()
    base = patient.appointments.count()
    for i in range(n):
        start = now + timedelta(days=200 + 7 * (base + i), hours=1)
        services.visit_book(
            patient=patient,
            by=clinician,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=start,
            minutes=30,
            clinician=clinician,
            room="",
        )
        contact_attempt_record(
            patient=patient,
            by=clinician,
            channel=ContactChannel.PHONE,
            outcome=ContactOutcome.NO_ANSWER,
            note=f"try {i}",
        )
        questionnaire_record(
            patient=patient,
            by=clinician,
            answers={"q1": i % 3, "q2": 1, "q3": 0, "q4": 2, "q5": 1},
            answered_on=timezone.localdate() - timedelta(days=7 * (base + i) + 1),
            today=timezone.localdate(),
        )
        plan_revise(patient=patient, by=clinician, sleep=f"version {base + i}")
        CurrentMedicine.objects.create(
            patient=patient, name=f"medicine {i}", added_by=clinician, added_at=now
        )


def test_the_page_costs_the_same_for_a_long_history(
    client_for, patient, clinician, nurse, consent_form, lot
):
    from treatments.services.documents import documents_missing_make

    client = client_for(clinician)
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=44)  # the consent lasts a year
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    cycle(course, start + timedelta(weeks=10), clinician=clinician, nurse=nurse, lot=lot)
    more_history(patient, course, clinician=clinician, n=1)
    fill(patient, timezone.localdate() - timedelta(days=60), 30)
    documents_missing_make()
    short, _ = page_queries(client, patient)

    for n in range(2, 5):
        cycle(course, start + timedelta(weeks=10 * n), clinician=clinician, nurse=nurse, lot=lot)
    more_history(patient, course, clinician=clinician, n=8)
    fill(patient, timezone.localdate() - timedelta(days=600), 530)
    documents_missing_make()
    long, text = page_queries(client, patient)

    assert course.sessions.count() == 5 and course.documents.count() >= 6
    assert text.count("<strong>Injection session</strong>") == 5
    assert long == short
    assert long <= PAGE_QUERIES


def test_the_one_read_of_a_patient_and_courses_is_scoped_to_the_clinic(
    patient, other_clinic, django_assert_num_queries
):
    from django.http import Http404

    from treatments.course_records import patient_courses

    with pytest.raises(Http404):
        patient_courses(clinic=other_clinic, pk=patient.pk)
    read = patient_courses(clinic=patient.clinic, pk=patient.pk)
    assert read.patient == patient and read.current.patient is read.patient
    assert read.earlier == []
    with django_assert_num_queries(0):  # the start rule's count reads the prefetched list
        assert len(read.current.patient_preventives) == 3


def test_at_the_consent_step_the_page_says_the_consent_waits_for_the_patient(
    client_for, patient, clinician, nurse, consent_form, lot
):
    """The consent requests are read with the course at step 2 only (their one reader)."""
    from django.contrib.auth import get_user_model

    patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.save()
    course = advance(
        Course.objects.get(patient=patient),
        State.CONSENT,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    services.consent_request_send(course=course, by=nurse)
    count, text = page_queries(client_for(nurse), patient)
    assert 'data-refusal="consent_request_open"' in text
    assert count <= PAGE_QUERIES + 1  # the consent requests' prefetch
