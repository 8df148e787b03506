"""The diary standing's tasks queued on Redis and run by a real Celery worker (not eager mode):
a diary write queues its patient's refresh after commit; the nightly sweep queues chunks."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.celery import app
from diary.models import DiaryStanding
from diary.services import DayRecord, diary_entry_record
from diary.tasks import diary_standings_sweep_task
from treatments.models import Course

from .factories import fill
from .services.writers import patient_with_login

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _wait_for(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_a_write_and_the_sweep_refresh_standings_on_a_real_worker(clinic, clinician, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from tests.factories import PatientFactory

    today = timezone.localdate()
    me = patient_with_login(clinic)
    Course.objects.create(patient=me, started_on=today - timedelta(days=30))
    imported = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    fill(imported, today - timedelta(days=5), 3, hours=4)
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # the tests' settings run eagerly
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        diary_entry_record(patient=me, by=me.user, day=today, record=DayRecord(headache=False))
        assert _wait_for(lambda: DiaryStanding.objects.filter(patient=me).exists())
        diary_standings_sweep_task.delay()
        assert _wait_for(lambda: DiaryStanding.objects.filter(patient=imported).exists())
    assert DiaryStanding.objects.get(patient=me).recorded_days == 1
    assert DiaryStanding.objects.get(patient=imported).headache_days == 3
