"""A Celery worker killed (SIGKILL) in the middle of the reminder sweep, while a text it was
sending hangs at the gateway: nothing is lost, nothing is sent twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.db.models import F

from treatments.models import Reminder
from treatments.services.sweep import CLAIM_TIMEOUT

from .processes import wait_for
from .recording import sent
from .sweeping import due_reminders, sweep_queue, sweeps_done, unacknowledged, unsent

pytestmark = pytest.mark.faults

DUE = 120
HANG_AT = 38  # the text the first worker never gets an answer for: mid-batch, mid-sweep


def test_a_worker_killed_mid_sweep_loses_nothing_and_sends_nothing_twice(
    processes, private_redis, clinic, sms_log: Path
):
    numbers = due_reminders(clinic, DUE)
    first = processes["worker"](private_redis.url, "first", FAULTS_SMS_HANG_AT=str(HANG_AT))
    sweep_queue(private_redis.url)
    hung = wait_for(lambda: Path(f"{sms_log}.hung").exists() and Path(f"{sms_log}.hung"), 60)
    first.kill()
    dead = frozenset(unacknowledged(private_redis.url))
    assert len(dead) == 1  # its sweep, never to be acknowledged
    hanging_number = hung.read_text()
    before = [to for _pid, to in sent(sms_log)]
    assert len(before) == HANG_AT - 1  # each text before the hung one reached the gateway
    assert hanging_number not in before
    assert Reminder.objects.filter(sent_at__isnull=False).count() == len(before)

    # The dead worker's claims are left for CLAIM_TIMEOUT (it might only be slow); then the
    # next sweep, by another worker, takes them over.
    second = processes["worker"](private_redis.url, "second")
    Reminder.objects.filter(claimed_at__isnull=False).update(
        claimed_at=F("claimed_at") - CLAIM_TIMEOUT - timedelta(minutes=1)
    )
    sweep_queue(private_redis.url, times=2)  # the next two ticks of beat
    wait_for(lambda: unsent() == 0 and sweeps_done(private_redis.url, dead), 60)
    second.stop()

    texts = [to for _pid, to in sent(sms_log)]
    assert sorted(texts) == sorted(numbers)  # every patient texted, each once
    assert Reminder.objects.filter(sent_at__isnull=True).count() == 0
