"""A form sent once: the token each form carries, stored with the record it created."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """One form's token, written in the same transaction as the record the form created.

    A second post with the same token (a double click, a resent page, two tabs) finds it and
    lands where the first one did (`result_url`) instead of writing again; a post racing the
    first waits on the unique key until the first commits. See `botoxcare.submissions`.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    result_url = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="form_submission_at_idx")]

    def __str__(self) -> str:
        return f"form sent at {self.created_at:%Y-%m-%d %H:%M}"
