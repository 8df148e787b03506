"""The reminder sweep queued on Redis and run by a real Celery worker (not eager mode)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.celery import app
from tests.journey import advance
from treatments.models import Course, Reminder, State
from treatments.tasks import reminders_sweep

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_sweep_task_runs_on_a_real_worker(
    patient, clinician, nurse, consent_form, lot, sms_outbox, monkeypatch
):
    from celery.contrib.testing.worker import start_worker

    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=3),
    )
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # the tests' settings run eagerly
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        reminders_sweep.delay()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if not Reminder.objects.filter(sent_at__isnull=True).exists():
                break
            time.sleep(0.2)
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert len(sms_outbox) == Reminder.objects.count()  # the patient prefers phone: texts
