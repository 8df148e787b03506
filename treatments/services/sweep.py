"""The reminder sweep: one pass over due reminder rows, run every minute by Celery beat (or by
`manage.py reminders_sweep --loop` in the embedded default)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from botoxcare.messaging import message_send
from patients.models import AppointmentStatus

from ..models import MAX_ATTEMPTS, Reminder, ReminderKind

__all__ = ["CLAIM_TIMEOUT", "MAX_ATTEMPTS", "REMINDER_TEXT", "RETRY_AFTER", "reminder_sweep"]

logger = logging.getLogger(__name__)

# Neutral words only: no diagnosis, drug or dose; the clinic's name is not used either.
REMINDER_TEXT = {
    ReminderKind.RETREATMENT_DUE: (
        "Time to book your next appointment",
        "Hello from {sender}. You are due for your next appointment. "
        "Please call us on {phone} to book it.",
    ),
    ReminderKind.FOLLOW_UP: (
        "Your appointment tomorrow",
        "Hello from {sender}. This is a reminder of your appointment tomorrow at {time}. "
        "Please call us on {phone} if you cannot come.",
    ),
}

RETRY_AFTER = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20 … 320 minutes
CLAIM_TIMEOUT = timedelta(minutes=10)


def reminder_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Send every reminder due by `now`; returns how many were sent.

    A row is claimed in a short transaction (skip_locked, so two sweepers never take the same
    one), sent outside any transaction (a slow mail server never holds a database lock), then
    marked sent. A failure is logged by id and retried later with a growing delay, up to
    MAX_ATTEMPTS; a claim left by a crashed sweeper is taken over after CLAIM_TIMEOUT, so a
    message may, rarely, go twice but is never lost silently.
    """
    now = now or timezone.now()
    sent = 0
    for _ in range(limit):
        reminder = _reminder_claim(now)
        if reminder is None:
            break
        appointment = reminder.appointment
        if appointment is not None and (
            appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now
        ):
            Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=now, claimed_at=None)
            continue
        subject, body = _reminder_text(reminder)
        try:
            message_send(to=reminder.course.patient, subject=subject, body=body)
        except Exception as exc:  # one row's failure never stops the sweep
            Reminder.objects.filter(pk=reminder.pk).update(
                claimed_at=None,
                last_error=type(exc).__name__[:200],
                due_at=now + RETRY_AFTER * 2 ** (reminder.attempts - 1),
            )
            logger.warning("reminder %s not sent: %s", reminder.pk, type(exc).__name__)
            continue
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=now, claimed_at=None)
        sent += 1
    return sent


def _reminder_claim(now: datetime) -> Reminder | None:
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("course__patient__clinic__settings", "appointment")
            .filter(
                Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
                sent_at__isnull=True,
                cancelled_at__isnull=True,
                due_at__lte=now,
                attempts__lt=MAX_ATTEMPTS,
            )
            .order_by("due_at", "id")
            .first()
        )
        if reminder is not None:
            reminder.claimed_at = now
            reminder.attempts += 1
            reminder.save(update_fields=["claimed_at", "attempts"])
        return reminder


def _reminder_text(reminder: Reminder) -> tuple[str, str]:
    clinic = reminder.course.patient.clinic
    subject, template = REMINDER_TEXT[ReminderKind(reminder.kind)]
    appointment = reminder.appointment
    body = template.format(
        sender=clinic.settings.reminder_sender,
        phone=clinic.phone or "the clinic",
        time=timezone.localtime(appointment.starts_at).strftime("%H:%M") if appointment else "",
    )
    return subject, body
