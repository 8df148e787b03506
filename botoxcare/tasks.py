"""The core's housekeeping, run daily by beat: safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from .submissions import form_submissions_forget


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def housekeeping() -> dict[str, int]:
    """Forget form tokens older than FORM_TOKEN_DAYS and sessions past their expiry (Django
    keeps signed-out and expired sessions in the table until something clears them)."""
    now = timezone.now()
    tokens = form_submissions_forget(before=now - timedelta(days=settings.FORM_TOKEN_DAYS))
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    return {"form_tokens": tokens, "sessions": sessions}
