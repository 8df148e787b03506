"""Due reminders by the thousand (rows, as the nightly jobs leave them) and the beat's part:
queueing the sweep on a Redis, and telling when every queued sweep has run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import redis
from django.utils import timezone

from botoxcare.celery import app
from botoxcare.models import Clinic
from patients.models import Patient
from treatments.choices import ReminderKind
from treatments.models import Course, Reminder
from treatments.tasks import reminders_sweep


def phone(n: int) -> str:
    return f"07700 {900000 + n}"


def due_reminders(clinic: Clinic, count: int) -> set[str]:
    """`count` patients who prefer texts, each with one check-in reminder due a minute ago;
    the numbers they are texted on (one a reminder)."""
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic,
            identifier=f"F{n:06d}",
            first_name="Sam",
            last_name=f"Fault{n}",
            date_of_birth=timezone.localdate() - timedelta(days=40 * 365),
            phone=phone(n),
            preferred_channel="sms",
        )
        for n in range(count)
    )
    started = timezone.localdate() - timedelta(days=100)
    courses = Course.objects.bulk_create(Course(patient=p, started_on=started) for p in patients)
    due = timezone.now() - timedelta(minutes=1)
    Reminder.objects.bulk_create(
        Reminder(course=c, kind=ReminderKind.CHECK_IN, due_at=due, key=f"fault-{c.pk}")
        for c in courses
    )
    return {phone(n) for n in range(count)}


def sweep_queue(redis_url: str, times: int = 1) -> None:
    """Queue the sweep as beat's tick does (the tests' settings run tasks eagerly; this goes
    to the Redis named)."""
    with app.connection_for_write(redis_url) as connection:
        for _ in range(times):
            reminders_sweep.apply_async(connection=connection, retry=False)


def unacknowledged(redis_url: str) -> set[bytes]:
    """The sweeps a worker took and has not acknowledged (acks_late: it does when the sweep
    ends): running, or left by a killed worker until Redis's visibility timeout."""
    client: Any = redis.Redis.from_url(redis_url)
    try:
        return set(client.hkeys("unacked"))
    finally:
        client.close()


def sweeps_done(redis_url: str, dead: frozenset[bytes] = frozenset()) -> bool:
    """Every sweep queued has run to its end: none waiting, none taken and not yet
    acknowledged but those a killed worker left (`dead`)."""
    client: Any = redis.Redis.from_url(redis_url)
    try:
        return client.llen("celery") == 0 and set(client.hkeys("unacked")) <= dead
    finally:
        client.close()


def unsent(reminders: Any = None) -> int:
    """How many of `reminders` (default: all) are neither sent nor cancelled."""
    rows = Reminder.objects.all() if reminders is None else reminders
    return int(rows.filter(sent_at__isnull=True, cancelled_at__isnull=True).count())
