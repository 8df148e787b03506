"""Reminder rows: made in the transaction that creates their cause, cancelled with it.

Sending them is the sweep's work (treatments/services/sweep.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.models import ClinicSettings
from patients.models import Appointment
from patients.services import appointment_set_status

from ..models import Consent, Course, InjectionSession, Reminder, ReminderKind
from ..pathway import consent_expires_on


def reminder_time(day: date, settings: ClinicSettings) -> datetime:
    """Reminders for a day go out at the clinic's reminder time, in its time zone."""
    return timezone.make_aware(datetime.combine(day, settings.reminder_time))


def visit_reminder_time(visit: Appointment, settings: ClinicSettings) -> datetime:
    """A booked visit is reminded the clinic's number of hours before it."""
    return visit.starts_at - timedelta(hours=settings.appointment_reminder_hours)


def checkin_schedule(*, course: Course, session: InjectionSession, now: datetime) -> None:
    """A check-in message some weeks after a session (the clinic's `checkin_weeks`)."""
    cfg = course.clinic_settings
    reminder_schedule(
        course=course,
        kind=ReminderKind.CHECK_IN,
        due_at=reminder_time(session.session_date + timedelta(weeks=cfg.checkin_weeks), cfg),
        key=f"checkin:{session.pk}",
        now=now,
    )


def consent_renewal_schedule(*, course: Course, consent: Consent, now: datetime) -> None:
    """A newly recorded consent replaces any earlier one's renewal message with its own, the
    clinic's warning days before it expires."""
    cfg = course.clinic_settings
    reminders_cancel(course=course, now=now, kinds=[ReminderKind.CONSENT_RENEWAL])
    expires = consent_expires_on(consent, cfg.consent_valid_days)
    reminder_schedule(
        course=course,
        kind=ReminderKind.CONSENT_RENEWAL,
        due_at=reminder_time(expires - timedelta(days=cfg.consent_warning_days), cfg),
        key=f"consent:{consent.pk}",
        now=now,
    )


def reminder_schedule(
    *,
    course: Course,
    kind: ReminderKind,
    due_at: datetime,
    key: str,
    now: datetime,
    appointment: Appointment | None = None,
) -> None:
    """One reminder row per cause (the key); none for a moment already past."""
    if due_at <= now:
        return
    Reminder.objects.get_or_create(
        key=key,
        defaults={"course": course, "kind": kind, "due_at": due_at, "appointment": appointment},
    )


def reminders_cancel(
    *, course: Course, now: datetime, kinds: Iterable[ReminderKind] | None = None
) -> None:
    """Cancel the course's reminders not yet sent (of `kinds`, or all)."""
    pending = Reminder.objects.filter(
        course=course, sent_at__isnull=True, cancelled_at__isnull=True
    )
    if kinds is not None:
        pending = pending.filter(kind__in=list(kinds))
    pending.update(cancelled_at=now)


def appointment_close(
    *, appointment: Appointment, by: User, status: str, now: datetime | None = None
) -> Appointment:
    """Mark a booked visit attended, did-not-attend or cancelled, and stop its reminder, in
    one transaction. (A reminder whose visit is no longer booked is also dropped when the
    sweep reaches it; this makes it visible at once.)"""
    with transaction.atomic():
        closed = appointment_set_status(appointment=appointment, by=by, status=status, now=now)
        Reminder.objects.filter(
            appointment=closed, sent_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=timezone.now())
    return closed


def visits_close(
    *, appointments: Iterable[Appointment], by: User, status: str, now: datetime | None = None
) -> int:
    """Close several booked visits with one outcome (a day's visits marked attended, say), each
    as `appointment_close` does, all or none. Returns how many were closed."""
    with transaction.atomic():
        closed = [
            appointment_close(appointment=a, by=by, status=status, now=now) for a in appointments
        ]
    return len(closed)
