"""The staff patient page: a constant number of queries, whatever the number of cycles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_patient_page_queries_do_not_grow_with_cycles(
    client_for, patient, clinician, nurse, consent_form, lot, django_assert_max_num_queries
):
    from treatments import services

    client = client_for(clinician)
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=40)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    baseline = None
    for cycle in range(1, 5):
        day = start + timedelta(weeks=10 * cycle)
        services.retreatment_start(
            course=course,
            by=clinician,
            reviewed_on=day,
            notes="ok",
            now=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
        )
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=day)
        if baseline is None:  # two cycles: every related list is non-empty from here on
            baseline = count(client, reverse("staff:patient", args=[patient.pk]))
    assert course.sessions.count() == 5
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<strong>Injection session</strong>") == 5
    # 20, plus one query each for the follow-up history's reminders and contact attempts,
    # one for the session's two-factor device, and the audit event's insert; the diary card
    # adds 3 (the session dates, the periods, the baseline and cycles: pages/staff/diary_card);
    # MIDAS and the plan 2 (pages/staff/diary_care; the chart reads the card's figures); the
    # sessions' vials with their lots 1 (one prefetch, treatments.selectors.course_current);
    # the medical lists' card 3 (preventives, medicines, allergies: treatments.medical_lists)
    # and the timeline's count of failed preventives 1 (pages/staff/timeline).
    assert baseline <= 24 + 3 + 2 + 1 + 3 + 1


def test_page_warns_when_reminders_cannot_reach_the_patient(client_for, patient, nurse, settings):
    url = reverse("staff:patient", args=[patient.pk])
    patient.email = ""
    patient.save()
    assert 'data-warning="unreachable"' not in client_for(nurse).get(url).content.decode()
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    assert 'data-warning="unreachable"' in client_for(nurse).get(url).content.decode()


def test_receptionist_sees_the_step_but_not_the_clinical_record(client_for, receptionist, patient):
    page = client_for(receptionist).get(reverse("staff:patient", args=[patient.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'aria-current="step">1 · Consultation' in text
    assert "<strong>Consultation</strong>" not in text


def test_follow_up_history_shows_reminders_contacts_and_visits(
    client_for, patient, clinician, nurse, consent_form, lot
):
    from patients.services import contact_attempt_record
    from treatments import services
    from treatments.models import MAX_ATTEMPTS, Reminder, ReminderKind

    course = Course.objects.get(patient=patient)
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=90),
    )
    services.reminder_sweep()  # the re-treatment reminder is sent, the follow-up's dropped
    Reminder.objects.create(
        course=course,
        kind=ReminderKind.RETREATMENT_DUE,
        due_at=timezone.now() - timedelta(hours=2),
        key="failed",
        attempts=MAX_ATTEMPTS,
    )
    contact_attempt_record(
        patient=patient, by=nurse, channel="phone", outcome="no_answer", note="try after 5"
    )
    page = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    card = page[page.index('data-card="follow-up"') :]
    card = card[: card.index("</section>")]
    for result in ("sent", "cancelled", "failed", "no_answer", "booked"):
        assert f'data-result="{result}"' in card, result
    assert card.count('data-history="visit"') == 1  # the follow-up visit, now past
    assert "try after 5" in card
