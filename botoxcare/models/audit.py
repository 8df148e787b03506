"""The audit trail: who did or saw what, when, from where, about which patient.

Rows are only ever added. `save()` refuses to change a stored row, `delete()` and the
queryset's `update()`/`delete()` refuse, and on PostgreSQL a trigger refuses UPDATE and DELETE
from any client (migration 0019). Writing is `botoxcare.audit.log_action`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from .clinic import Clinic


class AppendOnly(Exception):
    """An audit event was to be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnly("audit events are never changed")

    def delete(self) -> Any:
        raise AppendOnly("audit events are never deleted")


class AuditEvent(models.Model):
    """One thing a person (or the system, `user` empty) did or saw.

    `action` is a dotted name (`patient.viewed`, `consultation.recorded`, `auth.signed_in`).
    The patient is kept as a plain id, not a foreign key: the core imports no app, and an
    audit row must outlive anything it names. `data` holds what changed (`{"field": [old,
    new]}`) or what was asked (a search's words, the ids a list showed); never a password.
    """

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=80)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the event is about when that is a record ("treatments.consultation", 12).
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["clinic", "patient_id", "-at"], name="audit_patient_idx"),
            models.Index(fields=["clinic", "user", "-at"], name="audit_user_idx"),
            models.Index(fields=["-at"], name="audit_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.action} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnly("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("audit events are never deleted")
