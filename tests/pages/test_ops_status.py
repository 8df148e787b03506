"""manage.py ops_status: what the operator monitors (failed reminders, the oldest unclaimed
call-back, the database and broker), by clinic, never a patient; exit 0 / 1 / 2 for monitors."""

from __future__ import annotations

import io
import json
import socket
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from patients.models import CallbackRequest, CallbackStatus
from treatments.models import MAX_ATTEMPTS, Course, Reminder, ReminderKind

from ..factories import PatientFactory

pytestmark = pytest.mark.django_db


def status(*args: str) -> tuple[int, dict[str, Any]]:
    out = io.StringIO()
    try:
        call_command("ops_status", "--json", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue())


def reminder(course: Course, key: str, **fields: Any) -> Reminder:
    return Reminder.objects.create(
        course=course,
        kind=ReminderKind.RETREATMENT_DUE,
        due_at=timezone.now() - timedelta(days=1),
        key=key,
        **fields,
    )


def callback(clinic: Any, minutes_ago: int, status: str = CallbackStatus.OPEN) -> None:
    CallbackRequest.objects.create(
        clinic=clinic,
        name="Ruth Ellison",
        phone="07700 900123",
        phone_digits="07700900123",
        topic="other",
        address_hash="x",
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        status=status,
    )


@pytest.fixture(autouse=True)
def no_broker(settings: Any) -> None:
    settings.CELERY_BROKER_URL = "memory://"


def test_all_quiet_is_ok(clinic: Any) -> None:
    code, report = status()
    assert code == 0
    assert report == {
        "database": "ok",
        "broker": "not configured (tasks run in-process)",
        "reminders_failed": 0,
        "reminders_failed_by_clinic": {},
        "callback_oldest_unclaimed_minutes": None,
        "callback_oldest_unclaimed_minutes_by_clinic": {},
        "problems": [],
    }


def test_failed_reminders_counted_by_clinic(course: Course, other_clinic: Any) -> None:
    reminder(course, "failed-1", attempts=MAX_ATTEMPTS)
    reminder(course, "failed-2", attempts=MAX_ATTEMPTS)
    # Not failures waiting for anyone: retrying, sent, handled (failed, then cancelled).
    reminder(course, "retrying", attempts=MAX_ATTEMPTS - 1)
    reminder(course, "sent", attempts=1, sent_at=timezone.now())
    reminder(course, "handled", attempts=MAX_ATTEMPTS, cancelled_at=timezone.now())
    stranger: Any = PatientFactory(clinic=other_clinic)
    other = Course.objects.get(patient=stranger)
    reminder(other, "failed-other", attempts=MAX_ATTEMPTS)

    code, report = status()
    assert code == 1
    assert report["reminders_failed"] == 3
    assert report["reminders_failed_by_clinic"] == {
        course.patient.clinic.slug: 2,
        other_clinic.slug: 1,
    }
    assert report["problems"] == ["3 reminders failed every retry"]
    assert status("--max-failed", "3")[0] == 0


def test_oldest_unclaimed_callback_by_clinic(clinic: Any, other_clinic: Any) -> None:
    with time_machine.travel("2026-12-08 09:00 +00:00", tick=False):
        callback(clinic, minutes_ago=300)
        callback(clinic, minutes_ago=30)
        callback(clinic, minutes_ago=900, status=CallbackStatus.CLAIMED)  # being called
        callback(clinic, minutes_ago=2000, status=CallbackStatus.DONE)
        callback(other_clinic, minutes_ago=60)

        code, report = status()
        assert code == 1
        assert report["callback_oldest_unclaimed_minutes"] == 300
        assert report["callback_oldest_unclaimed_minutes_by_clinic"] == {
            clinic.slug: 300,
            other_clinic.slug: 60,
        }
        assert report["problems"] == [
            f"call-back requests unclaimed past the limit at {clinic.slug}"
        ]
        assert status("--max-callback-minutes", "300")[0] == 0
        assert "Ruth" not in json.dumps(report) and "07700" not in json.dumps(report)


def test_broker_down_is_critical(settings: Any, clinic: Any) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{port}/0"
    code, report = status()
    assert code == 2
    assert report["broker"] == "unreachable (ConnectionError)"
    assert report["problems"] == ["broker unreachable (ConnectionError)"]


def test_text_report_for_a_person(clinic: Any) -> None:
    out = io.StringIO()
    call_command("ops_status", stdout=out)
    assert out.getvalue().splitlines()[0] == "database: ok"
    assert out.getvalue().splitlines()[-1] == "OK"
