"""The nightly housekeeping: old form tokens and expired sessions go, current ones stay; and
every task beat is told to run exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from botoxcare.models import FormSubmission
from botoxcare.tasks import housekeeping

pytestmark = pytest.mark.django_db


def test_old_tokens_and_expired_sessions_go(clinician):
    now = timezone.now()
    old = FormSubmission.objects.create(
        token="a" * 32, user=clinician, created_at=now - timedelta(days=3)
    )
    recent = FormSubmission.objects.create(
        token="b" * 32, user=clinician, created_at=now - timedelta(hours=20)
    )
    live, gone = SessionStore(), SessionStore()
    live.create()
    gone.create()
    Session.objects.filter(session_key=gone.session_key).update(
        expire_date=now - timedelta(minutes=1)
    )
    assert housekeeping() == {"form_tokens": 1, "sessions": 1}
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == [live.session_key]
    assert housekeeping() == {"form_tokens": 0, "sessions": 0}  # twice changes nothing more


def test_every_task_beat_runs_exists():
    from botoxcare.celery import app

    app.loader.import_default_modules()  # what a worker imports: each app's tasks module
    names = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "botoxcare.tasks.housekeeping" in names
    assert [n for n in names if n not in app.tasks] == []
