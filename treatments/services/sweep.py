"""The reminder sweep: one pass over due reminder rows, run every minute by Celery beat (or by
`manage.py reminders_sweep --loop` in the embedded default)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from botoxcare.messaging import ContactChannel, channel_for, message_send, quiet_until
from patients.models import AppointmentStatus

from ..models import Reminder, ReminderKind

logger = logging.getLogger(__name__)

# Neutral words only: no diagnosis, drug or dose; the clinic's name is not used either.
REMINDER_TEXT = {
    ReminderKind.RETREATMENT_DUE: (
        "Time to book your next appointment",
        "Hello from {sender}. You are due for your next appointment. "
        "Please call us on {phone} to book it.",
    ),
    ReminderKind.FOLLOW_UP: (
        "Your next appointment",
        "Hello from {sender}. This is a reminder of your appointment on {day} at {time}. "
        "Please call us on {phone} if you cannot come.",
    ),
}
REMINDER_TEXT[ReminderKind.APPOINTMENT] = REMINDER_TEXT[ReminderKind.FOLLOW_UP]
REMINDER_TEXT[ReminderKind.CHECK_IN] = (
    "How are you getting on?",
    "Hello from {sender}. How are you getting on since your last visit? If anything worries "
    "you, or you have questions, please call us on {phone}.",
)
REMINDER_TEXT[ReminderKind.CONSENT_RENEWAL] = (
    "Before your next appointment",
    "Hello from {sender}. Before your next appointment we need to renew some paperwork with "
    "you. Please call us on {phone}, or look in your patient portal.",
)

MAX_ATTEMPTS = 8
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
        patient = reminder.course.patient
        cfg = patient.clinic.settings
        later = (
            quiet_until(now, cfg.quiet_from, cfg.quiet_until)
            if channel_for(patient) == ContactChannel.SMS
            else None
        )
        if later is not None:
            # No text at night: it waits for the morning, and the wait is not a failed try.
            Reminder.objects.filter(pk=reminder.pk).update(
                due_at=later, claimed_at=None, attempts=F("attempts") - 1
            )
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
    starts = timezone.localtime(appointment.starts_at) if appointment else None
    body = template.format(
        sender=clinic.settings.reminder_sender,
        phone=clinic.phone or "the clinic",
        day=f"{starts:%A} {starts.day} {starts:%B}" if starts else "",
        time=f"{starts:%H:%M}" if starts else "",
    )
    return subject, body
