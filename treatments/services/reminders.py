"""Reminder rows: made in the transaction that creates their cause, cancelled with it.

Sending them is the sweep's work (treatments/services/sweep.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from uuid import uuid4

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import changes, log_action, snapshot
from botoxcare.errors import refuse
from botoxcare.messaging import reachable
from botoxcare.models import ClinicSettings
from botoxcare.roles import Action, require
from patients.models import Appointment
from patients.services import appointment_set_status

from ..models import (
    MAX_ATTEMPTS,
    Consent,
    Course,
    InjectionSession,
    Reminder,
    ReminderKind,
    ReminderResult,
    State,
)
from ..pathway import consent_expires_on
from ..reasons import Reason

# The steps whose patients are on the schedules page: a reminder to book makes sense there.
FOLLOW_UP_STATES = (State.POST_CARE, State.MAINTENANCE)
# What `reminder.retried` compares (the claim is the sweep's bookkeeping).
RETRIED_FIELDS = ("attempts", "due_at", "last_error")


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
    *,
    appointment: Appointment,
    by: User,
    status: str,
    reason: str = "",
    now: datetime | None = None,
) -> Appointment:
    """Mark a booked visit attended, did-not-attend or cancelled, and stop its reminder, in
    one transaction. (A reminder whose visit is no longer booked is also dropped when the
    sweep reaches it; this makes it visible at once.)"""
    with transaction.atomic():
        closed = appointment_set_status(
            appointment=appointment, by=by, status=status, reason=reason, now=now
        )
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


def reminder_send_now(*, course: Course, by: User, now: datetime | None = None) -> Reminder:
    """Ask the patient to book their next visit: a RETREATMENT_DUE reminder row due now, which
    the sweep sends within a minute (never sent here). The caller has scoped the course to the
    user's clinic. Refused when the course is not in post-care or maintenance, when the patient
    cannot be reached, or when such a reminder already waits to be sent (a second press)."""
    require(by, Action.SEND_REMINDER)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Course.objects.select_for_update().select_related("patient").get(pk=course.pk)
        if locked.state not in FOLLOW_UP_STATES:
            raise refuse(
                Reason.REMINDER_NOT_IN_FOLLOW_UP,
                "Only a patient in post-treatment care or maintenance is sent a booking reminder.",
            )
        if not reachable(locked.patient):
            raise refuse(
                Reason.REMINDER_NO_ROUTE,
                "No email address, and no phone number texts can reach: call the patient.",
            )
        waiting = Reminder.objects.filter(
            course=locked,
            kind=ReminderKind.RETREATMENT_DUE,
            sent_at__isnull=True,
            cancelled_at__isnull=True,
            attempts__lt=MAX_ATTEMPTS,
            due_at__lte=now,
        )
        if waiting.exists():
            raise refuse(
                Reason.REMINDER_ALREADY_WAITING,
                "A reminder to this patient is already on its way.",
            )
        reminder = Reminder.objects.create(
            course=locked,
            kind=ReminderKind.RETREATMENT_DUE,
            due_at=now,
            key=f"retreatment-now:{locked.pk}:{uuid4().hex}",
        )
        log_action(
            "reminder.send_requested",
            user=by,
            patient=locked.patient,
            target=reminder,
            data={"kind": reminder.kind, "due_at": now},
        )
        return reminder


def _failed_locked(reminder: Reminder) -> Reminder:
    locked = (
        Reminder.objects.select_for_update(of=("self",))
        .select_related("course__patient")
        .get(pk=reminder.pk)
    )
    if locked.result != ReminderResult.FAILED:
        raise refuse(
            Reason.REMINDER_NOT_FAILED,
            "This reminder has been sent, retried or handled since the page was shown.",
        )
    return locked


def reminder_retry(*, reminder: Reminder, by: User, now: datetime | None = None) -> Reminder:
    """Try a reminder that failed every retry again from the start: due now, attempts reset.
    The caller has scoped it to the user's clinic. Refused unless it is still failed."""
    require(by, Action.HANDLE_FAILED_REMINDERS)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _failed_locked(reminder)
        before = snapshot(locked, RETRIED_FIELDS)
        locked.attempts, locked.due_at, locked.claimed_at, locked.last_error = 0, now, None, ""
        locked.save(update_fields=["attempts", "due_at", "claimed_at", "last_error"])
        log_action(
            "reminder.retried",
            user=by,
            patient=locked.course.patient,
            target=locked,
            data=changes(before, snapshot(locked, RETRIED_FIELDS)),
        )
        return locked


def reminder_mark_handled(*, reminder: Reminder, by: User, now: datetime | None = None) -> Reminder:
    """Take a failed reminder off the admins' list (the patient was reached another way, say):
    it is cancelled and never sent; its attempts stay, so it reads "failed, marked handled".
    Refused unless it is still failed."""
    require(by, Action.HANDLE_FAILED_REMINDERS)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _failed_locked(reminder)
        locked.cancelled_at = now
        locked.save(update_fields=["cancelled_at"])
        log_action(
            "reminder.marked_handled",
            user=by,
            patient=locked.course.patient,
            target=locked,
            data={"cancelled_at": [None, now], "attempts": locked.attempts},
        )
        return locked
