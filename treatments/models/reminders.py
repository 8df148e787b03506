"""Reminders: rows due at a time, sent once by the sweep (never a long Celery countdown)."""

from __future__ import annotations

from datetime import datetime

from django.db import models

from patients.models import Appointment

from ..choices import ReminderKind
from .course import Course

# A reminder is tried this many times (treatments/services/sweep.py), then left failed for a
# clinic admin to retry or mark handled (the schedules page).
MAX_ATTEMPTS = 8
# Failed every retry and nobody has handled it yet (handling sets cancelled_at): the one filter
# behind the clinic admin's list (the schedules page) and the operator's count (ops_status).
FAILED_UNHANDLED = models.Q(sent_at__isnull=True, cancelled_at__isnull=True) & models.Q(
    attempts__gte=MAX_ATTEMPTS
)


class ReminderResult(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    RETRYING = "retrying", "Not sent yet: retrying"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed every retry"
    HANDLED = "handled", "Failed, marked handled"
    CANCELLED = "cancelled", "Cancelled"


class Reminder(models.Model):
    """A message due at a time, sent once; swept by beat (never a long Celery countdown)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text="The visit a follow-up reminder is about; not sent if it is no longer booked.",
    )
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=100, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sent_at", "cancelled_at", "due_at"]),
            # The reminders that failed every retry, for the admins' list: a few among the
            # thousands not yet due, found without reading those. (A partial index on the
            # attempts loses to the one above in SQLite's planner, which prefers its two
            # equalities and its order; this one has both equalities and the range.)
            models.Index(
                fields=["sent_at", "cancelled_at", "attempts", "due_at"],
                name="reminder_failed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at}"

    @property
    def result(self) -> ReminderResult:
        """What became of it: the one reading of sent, cancelled and the attempts."""
        if self.sent_at is not None:
            return ReminderResult.SENT
        exhausted = self.attempts >= MAX_ATTEMPTS
        if self.cancelled_at is not None:
            return ReminderResult.HANDLED if exhausted else ReminderResult.CANCELLED
        if exhausted:
            return ReminderResult.FAILED
        return ReminderResult.RETRYING if self.attempts else ReminderResult.PENDING

    @property
    def failed(self) -> bool:
        """Failed every retry (handled or not): shown as a problem."""
        return self.result in (ReminderResult.FAILED, ReminderResult.HANDLED)

    @property
    def result_at(self) -> datetime:
        """When that happened (for a pending one, when it is due)."""
        return self.sent_at or self.cancelled_at or self.due_at
