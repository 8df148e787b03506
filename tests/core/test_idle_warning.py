"""The warning before the idle sign-out: the page is told how long the session has left (from
the session's clock, not a guess), and "Stay signed in" pings the session awake."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from botoxcare.middleware import SEEN
from botoxcare.models import AuditEvent

pytestmark = pytest.mark.django_db


def seconds_left(page) -> int:
    found = re.search(r'<body[^>]* data-idle-seconds="(\d+)"', page.content.decode())
    assert found, "no idle clock on the page"
    return int(found.group(1))


def test_a_staff_page_says_the_seconds_left_from_the_last_activity(client_for, nurse, patient):
    start = timezone.now()
    path = reverse("patients:contact-attempt-new", args=[patient.pk])
    with time_machine.travel(start, tick=False):
        client = client_for(nurse)
        first = client.get(path)
    assert seconds_left(first) == 30 * 60
    assert 'data-idle-warn-seconds="300"' in first.content.decode()
    assert f'data-idle-ping="{reverse("session-ping")}"' in first.content.decode()
    # 20 s later the session was not written again (it is only every 30 s): 20 s are gone.
    with time_machine.travel(start + timedelta(seconds=20), tick=False):
        assert seconds_left(client.get(path)) == 30 * 60 - 20


def test_a_patient_has_the_patients_limit(client_for, patient, settings):
    settings.IDLE_WARNING_SECONDS = 120
    patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.save()
    with time_machine.travel(timezone.now(), tick=False):
        page = client_for(patient.user).get(reverse("portal:home"))
    assert seconds_left(page) == 60 * 60
    assert 'data-idle-warn-seconds="120"' in page.content.decode()


def test_a_signed_out_page_has_no_clock(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and "data-idle-seconds" not in page.content.decode()


def test_the_script_is_a_file_not_inline(client_for, nurse):
    page = client_for(nurse).get(reverse("staff:patients")).content.decode()
    assert '<script src="/static/js/idle.js" defer></script>' in page
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None


def test_the_ping_keeps_the_session_and_writes_no_audit_event(client_for, nurse):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for(nurse)
        client.get(reverse("staff:patients"))
    events = AuditEvent.objects.count()
    with time_machine.travel(start + timedelta(minutes=28), tick=False):
        ping = client.post(reverse("session-ping"))
        assert ping.status_code == 200
        assert ping.json() == {"signed_in": True, "seconds_left": 30 * 60}
        assert client.session[SEEN] == pytest.approx(time.time())
    assert AuditEvent.objects.count() == events
    # 28 + 25 minutes after the first page: signed out without the ping, in with it.
    with time_machine.travel(start + timedelta(minutes=53), tick=False):
        assert client.get(reverse("staff:patients")).status_code == 200


def test_a_ping_after_the_limit_does_not_bring_the_session_back(client_for, nurse):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client = client_for(nurse)
        client.get(reverse("staff:patients"))
    with time_machine.travel(start + timedelta(minutes=31), tick=False):
        ping = client.post(reverse("session-ping"))
        assert ping.status_code == 302 and ping.url.startswith(reverse("login"))
        assert client.get(reverse("staff:patients")).status_code == 302


def test_the_ping_is_a_post_and_needs_a_session(client, client_for, nurse):
    assert client.post(reverse("session-ping")).status_code == 401
    assert client_for(nurse).get(reverse("session-ping")).status_code == 405
