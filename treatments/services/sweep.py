"""The reminder sweep: one pass over due reminder rows, run every minute by Celery beat (or by
`manage.py reminders_sweep --loop` in the embedded default)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.messaging import ContactChannel, channel_for, message_send, quiet_until
from botoxcare.models import AuditEvent
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
REMINDER_TEXT[ReminderKind.DIARY_NUDGE] = (
    "Your diary",
    "Hello from {sender}. A reminder to fill in your diary in your patient portal: the days "
    "you missed can be added on one page. Please call us on {phone} with any questions.",
)

RETRY_AFTER = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20 … 320 minutes
CLAIM_TIMEOUT = timedelta(minutes=10)
CLAIM_BATCH = 50  # rows claimed in one short transaction
MARK_EVERY = 1  # each sent row marked before the next send: a killed sweeper sends none twice


def reminder_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Send every reminder due by `now` (up to `limit`); returns how many were sent.

    Rows are claimed a batch at a time in a short transaction (skip_locked, so two sweepers
    never take the same row), each is sent outside any transaction (a slow mail server never
    holds a database lock) and marked sent before the next is sent. A failure is logged by id and
    retried later with a growing delay, up to MAX_ATTEMPTS; claims left by a crashed sweeper are
    taken over after CLAIM_TIMEOUT: a message is never lost silently, and only the one a sweeper
    died sending (the gateway took it, the mark never came) can go twice.
    """
    now = now or timezone.now()
    sent = 0
    handled = 0
    while handled < limit:
        batch = _reminders_claim(now, min(CLAIM_BATCH, limit - handled))
        if not batch:
            break
        handled += len(batch)
        done: list[Reminder] = []
        for reminder in batch:
            if _reminder_send(reminder, now):
                done.append(reminder)
            if len(done) >= MARK_EVERY:
                sent += _mark_sent(done, now)
        sent += _mark_sent(done, now)
    return sent


def _mark_sent(done: list[Reminder], now: datetime) -> int:
    """Mark sent what was just sent (MARK_EVERY at a time: one, so that a sweeper killed
    between two sends leaves no message sent and not marked, to be sent again)."""
    if done:
        with transaction.atomic():
            _commit_without_waiting_for_disk()
            Reminder.objects.filter(pk__in=[r.pk for r in done]).update(
                sent_at=now, claimed_at=None
            )
            # The rows log_action would write, one insert for the lot: the sweep's pace.
            AuditEvent.objects.bulk_create(
                AuditEvent(
                    action="reminder.sent",
                    clinic_id=r.course.patient.clinic_id,
                    patient_id=r.course.patient_id,
                    target_type=Reminder._meta.label_lower,
                    target_id=r.pk,
                    data={"kind": r.kind, "attempt": r.attempts},
                )
                for r in done
            )
    count = len(done)
    done.clear()
    return count


def _commit_without_waiting_for_disk() -> None:
    """PostgreSQL: this transaction's commit returns before its WAL reaches the disk (the
    mark is seen by every other sweeper at once; only a crash of the database server itself,
    not of a worker, can lose the last fraction of a second of marks, and so re-send those):
    a mark a message costs less (58 s for 10,000 with two sweepers, against 70 s waiting for the
    disk, on a machine loaded ~9 on 2 cores; 29 s marking ten at a time)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def _event(reminder: Reminder, action: str, **data: object) -> None:
    """The sweep's audit event: the system's (no user), about the reminder's patient."""
    log_action(
        action,
        patient=reminder.course.patient,
        target=reminder,
        data={"kind": reminder.kind, **data},
    )


def _reminder_cancel(reminder: Reminder, now: datetime, why: str) -> bool:
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=now, claimed_at=None)
        _event(reminder, "reminder.cancelled", why=why)
    return False


def _reminder_send(reminder: Reminder, now: datetime) -> bool:
    """Send one claimed reminder (the caller marks it sent), or put it back (cancelled, waiting
    for the morning, or to be retried); whether it was sent."""
    appointment = reminder.appointment
    if appointment is not None and (
        appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now
    ):
        return _reminder_cancel(reminder, now, "visit_not_booked")
    patient = reminder.course.patient
    if reminder.kind in patient.reminder_opt_outs:
        # The patient asked not to get this kind of message.
        return _reminder_cancel(reminder, now, "opted_out")
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
        return False
    subject, body = _reminder_text(reminder)
    try:
        message_send(to=reminder.course.patient, subject=subject, body=body)
    except Exception as exc:  # one row's failure never stops the sweep
        with transaction.atomic():
            Reminder.objects.filter(pk=reminder.pk).update(
                claimed_at=None,
                last_error=type(exc).__name__[:200],
                due_at=now + RETRY_AFTER * 2 ** (reminder.attempts - 1),
            )
            _event(
                reminder,
                "reminder.send_failed",
                attempt=reminder.attempts,
                error=type(exc).__name__[:200],
            )
        logger.warning("reminder %s not sent: %s", reminder.pk, type(exc).__name__)
        return False
    return True


def _reminders_claim(now: datetime, size: int) -> list[Reminder]:
    with transaction.atomic():
        batch = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("course__patient__clinic__settings", "appointment")
            .filter(
                Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
                sent_at__isnull=True,
                cancelled_at__isnull=True,
                due_at__lte=now,
                attempts__lt=MAX_ATTEMPTS,
            )
            .order_by("due_at", "id")[:size]
        )
        if batch:
            Reminder.objects.filter(pk__in=[r.pk for r in batch]).update(
                claimed_at=now, attempts=F("attempts") + 1
            )
            for reminder in batch:
                reminder.claimed_at = now
                reminder.attempts += 1
        return batch


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
