"""Which clinic a staff member works for (and when), and the history of a clinic's settings."""

from __future__ import annotations

from datetime import date, time

from django.conf import settings
from django.db import models

from ..defaults import default_work_days
from .clinic import Clinic, ClinicSettings


class StaffProfile(models.Model):
    """Makes a user a member of one clinic's staff; roles are the user's groups."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="staff")
    # A clinician's working week: ISO weekdays (1 Monday … 7 Sunday) and hours; hours left
    # empty are the clinic's day. The calendar offers free slots only inside them.
    work_days = models.JSONField(default=default_work_days, blank=True)
    work_starts = models.TimeField(null=True, blank=True)
    work_ends = models.TimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} at {self.clinic}"

    def hours_on(self, day: date, cfg: ClinicSettings) -> tuple[time, time] | None:
        """When this member works on `day` (the clinic's local date), or None on a day off."""
        if day.isoweekday() not in self.work_days:
            return None
        return (self.work_starts or cfg.day_starts, self.work_ends or cfg.day_ends)


class ClinicSettingsChange(models.Model):
    """One field of a clinic's settings changed: who, when, the value before and after, as text.

    Written in the same transaction as the change (botoxcare.clinic_admin.services). A muscle's
    limit is one row per column, its `field` written `muscle_limits.<muscle>.<column>`.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="settings_changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    field = models.CharField(max_length=100)
    old_value = models.TextField(blank=True)
    new_value = models.TextField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.field} changed {self.changed_at:%Y-%m-%d %H:%M}"
