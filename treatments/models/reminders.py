"""Reminders: rows due at a time, sent once by the sweep (never a long Celery countdown)."""

from __future__ import annotations

from django.db import models

from patients.models import Appointment

from ..choices import ReminderKind
from .course import Course


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
        indexes = [models.Index(fields=["sent_at", "cancelled_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at}"
