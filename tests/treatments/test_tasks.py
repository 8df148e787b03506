"""The reminder sweep queued on Redis and run by a real Celery worker (not eager mode)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.celery import app
from tests.faults.processes import PrivateRedis
from tests.journey import advance
from treatments.models import Course, Reminder, State
from treatments.tasks import reminders_sweep

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _unsent() -> bool:
    return Reminder.objects.filter(sent_at__isnull=True, cancelled_at__isnull=True).exists()


def _wait_until_sent(seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _unsent():
        time.sleep(0.2)


def _in_maintenance_and_due(patient, clinician, nurse, lot) -> None:
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=3),
    )
    Reminder.objects.update(due_at=timezone.now() - timedelta(minutes=1))


def test_sweep_task_runs_on_a_real_worker(
    patient, clinician, nurse, consent_form, lot, sms_outbox, monkeypatch
):
    from celery.contrib.testing.worker import start_worker

    _in_maintenance_and_due(patient, clinician, nurse, lot)
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # the tests' settings run eagerly
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        reminders_sweep.delay()
        _wait_until_sent()
    assert not Reminder.objects.filter(sent_at__isnull=True).exists()
    assert len(sms_outbox) == Reminder.objects.count()  # the patient prefers phone: texts


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis()
    before = {key: app.conf[key] for key in ("task_always_eager", "broker_url")}
    redis.start()
    app.conf.update(task_always_eager=False, broker_url=redis.url)
    old_pool, old_producers = app._pool, app.amqp._producer_pool
    app._pool, app.amqp._producer_pool = None, None  # connections made now go to this Redis
    try:
        yield redis
    finally:
        redis.stop()
        app.pool.force_close_all()
        app._pool, app.amqp._producer_pool = old_pool, old_producers
        app.conf.update(before)


def test_redis_down_then_back_loses_no_reminder_and_sends_none_twice(
    patient, clinician, nurse, consent_form, lot, sms_outbox, private_redis
):
    from celery.contrib.testing.worker import start_worker
    from kombu.exceptions import OperationalError

    _in_maintenance_and_due(patient, clinician, nurse, lot)
    due = Reminder.objects.count()
    assert due >= 1
    private_redis.stop()
    # Beat's tick while Redis is down: the sweep cannot be queued, and nothing is lost,
    # because a reminder is a row that waits for the next sweep.
    with pytest.raises(OperationalError):
        reminders_sweep.delay()
    assert Reminder.objects.filter(sent_at__isnull=True).count() == due
    private_redis.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        reminders_sweep.delay()  # the next tick, Redis back
        reminders_sweep.delay()  # and one more before the first finished: still once each
        _wait_until_sent()
    assert not _unsent()
    assert len(sms_outbox) == due  # each due reminder texted exactly once
