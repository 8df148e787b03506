"""Redis stopped under the app served by gunicorn: the pages still work, signing in still
works, a visit booked meanwhile keeps its reminder, and once Redis is back a worker sends it,
once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.roles import Role
from patients.models import Appointment
from tests.factories import make_staff
from treatments.models import Reminder

from .http import Visitor
from .processes import wait_for
from .recording import sent
from .sweeping import sweep_queue, sweeps_done, unsent

pytestmark = pytest.mark.faults


def test_with_redis_stopped_pages_and_sign_in_work_and_reminders_go_once_it_is_back(
    processes, private_redis, clinic, patient, sms_log: Path
):
    receptionist = make_staff(clinic, Role.RECEPTIONIST)
    _, base = processes["web"](private_redis.url)
    assert Visitor(base).get("/").status == 200  # the app is up, on this Redis
    private_redis.stop()

    visitor = Visitor(base)
    assert visitor.get("/").status == 200
    visitor.sign_in(receptionist)  # password and code: no Redis needed
    assert visitor.get(reverse("staff:patients")).status == 200
    assert visitor.get(reverse("staff:patient", args=[patient.pk])).status == 200
    book = reverse("staff:appointment-new", args=[patient.pk])
    starts = (timezone.localtime() + timedelta(days=9)).replace(hour=10, minute=0)
    booked = visitor.post(
        book,
        {
            "kind": "follow_up",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "minutes": "30",
            "form_token": visitor.form_token(book),
        },
    )
    assert booked.status == 302, booked.body[:500]
    appointment = Appointment.objects.get(patient=patient)
    reminders = Reminder.objects.filter(appointment=appointment)
    assert reminders.exists()  # the reminder is a row: nothing of it lived in Redis

    # The reminder falls due while Redis is still down; beat's tick cannot be queued.
    reminders.update(due_at=timezone.now() - timedelta(minutes=1))
    assert not sent(sms_log)

    private_redis.start()
    worker = processes["worker"](private_redis.url)
    sweep_queue(private_redis.url, times=2)  # the next tick, and one more before it ended
    wait_for(lambda: not unsent(reminders) and sweeps_done(private_redis.url), 60)
    worker.stop()
    assert not reminders.filter(sent_at__isnull=True).exists()
    texts = [to for _pid, to in sent(sms_log)]
    assert texts == [patient.phone] * reminders.count()  # each sent, once
