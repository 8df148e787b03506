"""Reminders are rows made with their cause, swept once; the text says no more than needed."""

from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from botoxcare.notify import ConsoleSMSBackend
from treatments import services
from treatments.models import Course, Reminder, State
from treatments.tasks import reminders_sweep

from .journey import advance

pytestmark = pytest.mark.django_db

FORBIDDEN = ("migraine", "botox", "botulinum", "toxin", "injection", "units", "diagnos")


@pytest.fixture
def in_maintenance(patient, clinician, nurse, consent_form, lot):
    patient.preferred_channel = "email"
    patient.save()
    ConsoleSMSBackend.outbox.clear()
    start = timezone.localdate() - timedelta(days=3)
    return advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    ), start


def test_maintenance_creates_the_cycles_reminders(in_maintenance, settings):
    course, start = in_maintenance
    reminders = {r.kind: r for r in Reminder.objects.filter(course=course)}
    assert set(reminders) == {"retreatment_due", "follow_up"}
    due = timezone.localtime(reminders["retreatment_due"].due_at)
    assert due.date() == start + timedelta(weeks=10) and due.time() == time(9, 0)
    assert str(due.tzinfo) == settings.TIME_ZONE


def test_sweep_sends_each_due_reminder_once(in_maintenance):
    course, start = in_maintenance
    assert services.reminder_sweep() == 0  # nothing due yet
    later = timezone.make_aware(datetime.combine(start + timedelta(weeks=11), time(12)))
    assert services.reminder_sweep(now=later) == 2
    assert services.reminder_sweep(now=later) == 0  # running twice sends nothing twice
    assert len(mail.outbox) == 2
    assert all(r.sent_at == later for r in Reminder.objects.filter(course=course))


def test_reminder_text_carries_no_clinical_detail(in_maintenance):
    course, _start = in_maintenance
    services.reminder_sweep(now=timezone.now() + timedelta(weeks=12))
    for message in mail.outbox:
        text = (message.subject + " " + message.body).lower()
        assert not [word for word in FORBIDDEN if word in text], text
        assert course.patient.last_name.lower() not in text
    assert "you are due for your next appointment" in " ".join(m.body.lower() for m in mail.outbox)


def test_sms_when_preferred_and_one_failure_does_not_stop_the_sweep(
    in_maintenance, patient, clinician, nurse, lot, clinic
):
    from .factories import PatientFactory

    patient.preferred_channel, patient.email = "sms", ""
    patient.save()
    unreachable = PatientFactory(clinic=clinic, phone="", email="")
    advance(
        Course.objects.get(patient=unreachable),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=3),
    )
    sent = services.reminder_sweep(now=timezone.now() + timedelta(weeks=12))
    assert sent == 2
    assert len(ConsoleSMSBackend.outbox) == 2
    failed = Reminder.objects.filter(course__patient=unreachable)
    assert all(r.sent_at is None and r.attempts == 1 for r in failed)
    assert {r.last_error for r in failed} == {"NoContactRoute"}


def test_the_task_and_the_command_run_the_sweep(in_maintenance):
    with time_machine.travel(timezone.now() + timedelta(weeks=12), tick=False):
        assert reminders_sweep() == 2
        call_command("reminders_sweep")
    assert len(mail.outbox) == 2


def test_reminder_times_follow_the_clinic_time_zone_across_dst(
    patient, clinician, nurse, lot, consent_form, settings
):
    # A session in late summer: the window opens in winter time; 09:00 local either way.
    with time_machine.travel(datetime(2026, 8, 20, 12, tzinfo=ZoneInfo("Europe/London"))):
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    reminder = Reminder.objects.get(kind="retreatment_due")
    local = reminder.due_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    assert local.time() == time(9, 0) and local.utcoffset() == timedelta(0)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweepers_at_once_send_each_reminder_once(in_maintenance):
    later = timezone.now() + timedelta(weeks=12)
    counts: list[int] = []
    barrier = threading.Barrier(2)

    def sweep() -> None:
        barrier.wait()
        try:
            counts.append(services.reminder_sweep(now=later, batch=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 2
    assert len(mail.outbox) == 2
