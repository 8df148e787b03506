"""Two web processes and two workers against one PostgreSQL database while 10,000 reminders
fall due: each is texted exactly once, both workers share the work (skip_locked), and the web
processes answer signed-in pages throughout."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
from django.urls import reverse

from botoxcare.roles import Role
from tests.factories import make_staff

from .http import Visitor
from .processes import wait_for
from .recording import sent
from .sweeping import due_reminders, sweep_queue, sweeps_done, unsent

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

DUE = 10_000
SWEEP_LIMIT = 1000  # reminders one run of the task sends at most (reminder_sweep's limit)


def test_ten_thousand_due_reminders_two_webs_two_workers_each_sent_exactly_once(
    processes, private_redis, clinic, sms_log: Path
):
    numbers = due_reminders(clinic, DUE)
    receptionist = make_staff(clinic, Role.RECEPTIONIST)
    webs = [processes["web"](private_redis.url)[1] for _ in range(2)]
    visitors = [Visitor(base) for base in webs]
    for visitor in visitors:
        visitor.sign_in(receptionist)
    workers = [processes["worker"](private_redis.url, f"worker{n}") for n in range(2)]

    pages: list[int] = []
    stopped = threading.Event()

    def browse(visitor: Visitor) -> None:
        # A receptionist's pace (a page every half second), not a load test.
        while not stopped.wait(0.5):
            pages.append(visitor.get(reverse("staff:patients")).status)

    sweep_queue(private_redis.url, times=DUE // SWEEP_LIMIT + 2)  # beat's ticks, and two spare
    browsing = [threading.Thread(target=browse, args=(v,)) for v in visitors]
    for thread in browsing:
        thread.start()
    started = time.monotonic()
    try:
        wait_for(lambda: unsent() == 0, 300, every=0.5, why=lambda: f"{unsent()} unsent")
        took = time.monotonic() - started
        wait_for(lambda: sweeps_done(private_redis.url), 30)
    finally:
        stopped.set()
        for thread in browsing:
            thread.join(60)
    for worker in workers:
        worker.stop()

    texts = sent(sms_log)
    per_number = Counter(to for _pid, to in texts)
    assert set(per_number) == numbers
    assert max(per_number.values()) == 1, per_number.most_common(3)
    assert len(texts) == DUE
    per_worker = Counter(pid for pid, _to in texts)
    assert len(per_worker) == 2 and min(per_worker.values()) > DUE // 10, per_worker
    assert pages and set(pages) == {200}, Counter(pages)
    print(f"\n10,000 reminders sent in {took:.1f} s by {dict(per_worker)}; {len(pages)} pages")
