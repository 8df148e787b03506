"""Benchmark the reminder sweep: 100,000 reminder rows, 10,000 of them due, a fake sender.

Run from the project root:  .venv/bin/python bench/sweep.py [--rows 100000] [--due 10000]
[--sweepers 2] [--database-url postgres://…]

Uses its own SQLite database, bench/sweep.sqlite3 (git-ignored), rebuilt each run, or the
PostgreSQL database given with --database-url (emptied first: never point it at real data).
Prints the time to send every due reminder (target: 10 s or less), how many were sent, and how
many were sent twice (target: none), with `--sweepers` sweeps running at once as beat and a
manual run might.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
DB_PATH = BENCH_DIR / "sweep.sqlite3"


def configure(database_url: str = "") -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{DB_PATH}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "botoxcare.settings"
    os.environ["BOTOXCARE_ENV"] = "local"
    os.environ["DEBUG"] = "False"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def seed(rows: int, due: int) -> None:
    """`rows` reminders over `due` courses' worth of patients: one due reminder a course, the
    rest due in the coming weeks (so the sweep must skip past them by index, not by reading)."""
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    sqlite = connection.vendor == "sqlite"

    from botoxcare.services import clinic_create
    from patients.models import Patient
    from treatments.models import Course, Reminder, ReminderKind

    if sqlite:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{DB_PATH}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", verbosity=0, interactive=False)
    call_command("migrate", verbosity=0, interactive=False)
    if sqlite:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")  # the seed only
    now = timezone.now()
    per_course = max(1, rows // due)
    with transaction.atomic():
        clinic = clinic_create(name="Sweep Clinic", slug="sweep", phone="020 7946 0777")
        clinic.settings.quiet_from = clinic.settings.quiet_until = clinic.settings.reminder_time
        clinic.settings.save()
        patients = Patient.objects.bulk_create(
            Patient(
                clinic=clinic,
                identifier=f"S{i:06d}",
                first_name="Sam",
                last_name=f"Sweep{i}",
                date_of_birth=now.date().replace(year=1980),
                phone=f"07700 9{i:05d}",
                preferred_channel="sms",
            )
            for i in range(due)
        )
        courses = Course.objects.bulk_create(
            Course(patient=p, started_on=now.date()) for p in patients
        )
        Reminder.objects.bulk_create(
            (
                Reminder(
                    course=c,
                    kind=ReminderKind.RETREATMENT_DUE,
                    due_at=now - timedelta(minutes=1) if n == 0 else now + timedelta(days=7 * n),
                    key=f"bench:{c.pk}:{n}",
                )
                for c in courses
                for n in range(per_course)
            ),
            batch_size=5000,
        )


class CountingSMS:
    """A fake gateway: counts each message by the number it went to."""

    available = True
    sent: Counter[str] = Counter()
    lock = threading.Lock()

    def send(self, *, to: str, body: str) -> None:
        with self.lock:
            self.sent[to] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=10_000)
    parser.add_argument("--sweepers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default="",
        help="e.g. postgres://postgres@127.0.0.1:5432/sweepbench (emptied first); SQLite if unset",
    )
    args = parser.parse_args()
    configure(args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from treatments.models import Reminder
    from treatments.services import reminder_sweep

    started = time.perf_counter()
    seed(args.rows, args.due)
    print(
        f"Seeded {Reminder.objects.count()} reminders ({args.due} due) in "
        f"{time.perf_counter() - started:.1f} s"
    )
    settings.SMS_BACKEND = "bench.sweep.CountingSMS"
    sys.modules.setdefault("bench.sweep", sys.modules[__name__])
    sent: list[int] = []

    def sweep() -> None:
        try:
            while n := reminder_sweep(limit=500):
                sent.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(args.sweepers)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - started
    twice = sum(1 for n in CountingSMS.sent.values() if n > 1)
    left = Reminder.objects.filter(sent_at__isnull=True, due_at__lte=timezone.now()).count()
    print(
        f"{args.sweepers} sweepers sent {sum(sent)} reminders in {took:.2f} s "
        f"({sum(sent) / took:.0f}/s); messages sent twice: {twice}; due left unsent: {left}"
    )
    print(f"target <= 10 s: {'met' if took <= 10 else 'NOT met'}; duplicates: {twice}")


if __name__ == "__main__":
    main()
