"""The diary nudge: one reminder for each silence of a patient in maintenance, sent by the
sweep in neutral words through their own channel; none for anyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from diary.models import DiaryEntry
from diary.nudges import diary_nudges_schedule
from tests.conftest import CLINICAL_WORDS
from tests.journey import advance
from treatments import services
from treatments.models import Course, Reminder, ReminderKind, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(patient, clinician, nurse, lot, consent_form):
    """A patient in maintenance with a portal login, their session 30 days ago."""
    patient.user = get_user_model().objects.create_user("keeper", password="a-long-pass-77")
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
    course.refresh_from_db()
    return patient


def wrote(patient, days_ago: int) -> None:
    DiaryEntry.objects.create(
        patient=patient,
        day=timezone.localdate() - timedelta(days=days_ago),
        headache=False,
        entered_by=patient.user,
    )


def nudges(patient) -> list[Reminder]:
    return list(Reminder.objects.filter(course__patient=patient, kind=ReminderKind.DIARY_NUDGE))


def test_a_week_of_silence_gets_one_nudge_however_often_it_runs(keeper):
    wrote(keeper, 7)  # the clinic's diary_nudge_days is 7
    assert diary_nudges_schedule() == 1
    assert diary_nudges_schedule() == 0
    (nudge,) = nudges(keeper)
    assert nudge.due_at > timezone.now()
    assert nudge.key.endswith((timezone.localdate() - timedelta(days=7)).isoformat())


def test_six_days_of_silence_is_not_yet_a_nudge(keeper):
    wrote(keeper, 6)
    assert diary_nudges_schedule() == 0
    assert nudges(keeper) == []


def test_with_nothing_written_the_silence_counts_from_the_last_session(keeper):
    last = Course.objects.get(patient=keeper).last_session_on
    assert (timezone.localdate() - last).days >= 7
    assert diary_nudges_schedule() == 1


def test_writing_again_then_falling_silent_again_is_a_new_nudge(keeper):
    wrote(keeper, 20)
    assert diary_nudges_schedule() == 1
    wrote(keeper, 8)
    assert diary_nudges_schedule() == 1
    assert len(nudges(keeper)) == 2


def test_no_portal_login_or_not_in_maintenance_no_nudge(keeper, clinic, clinician):
    from tests.factories import PatientFactory

    without_login = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    assert Course.objects.get(patient=without_login).state == State.CONSULTATION
    Course.objects.filter(patient=keeper).update(state=State.CONSENT)
    assert diary_nudges_schedule() == 0


def test_the_sweep_sends_it_in_neutral_words_and_respects_an_opt_out(keeper, sms_outbox):
    wrote(keeper, 9)
    diary_nudges_schedule()
    (nudge,) = nudges(keeper)
    services.reminder_sweep(now=nudge.due_at + timedelta(minutes=1))
    # By the patient's own channel (the factory's patients prefer a phone: a text).
    (text,) = [body for to, body in sms_outbox if "diary" in body]
    assert "portal" in text
    assert not any(word in text.lower() for word in CLINICAL_WORDS)
    # Turned off in the portal: the next silence's nudge is not sent.
    keeper.reminder_opt_outs = [ReminderKind.DIARY_NUDGE]
    keeper.save()
    wrote(keeper, 8)
    diary_nudges_schedule()
    later = max(nudges(keeper), key=lambda r: r.pk)
    services.reminder_sweep(now=later.due_at + timedelta(minutes=1))
    later.refresh_from_db()
    assert later.sent_at is None and later.cancelled_at is not None
