"""A correction to a signed clinical record: who made it, when, why, and what changed.

The record itself carries the corrected value (so the guards, the pages and any later step
read what is now known to be true); the amendment keeps each changed field's value before and
after, so the original stays on the record of care beside the correction. Which fields of
which record may be amended is treatments/amendable.py."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models

from .course import Course
from .records import Consultation, PreparationReview
from .sessions import Aftercare, InjectionSession

# The records an amendment may be of: one foreign key each, exactly one of them set.
RECORD_FIELDS = ("consultation", "preparation", "session", "aftercare")


def _only(kind: str) -> models.Q:
    """This record's key set, the others' empty."""
    return models.Q(**{f"{name}__isnull": name != kind for name in RECORD_FIELDS})


class Amendment(models.Model):
    """One correction of one record: `changes` is `{field: {"label", "before", "after"}}`,
    the values as JSON (dates and times as ISO text)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="amendments")
    # Exactly one of the four is set (the constraint below): the record corrected.
    consultation = models.ForeignKey(
        Consultation, null=True, blank=True, on_delete=models.CASCADE, related_name="amendments"
    )
    preparation = models.ForeignKey(
        PreparationReview,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    session = models.ForeignKey(
        InjectionSession,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="amendments",
    )
    aftercare = models.ForeignKey(
        Aftercare, null=True, blank=True, on_delete=models.CASCADE, related_name="amendments"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(max_length=1000)
    changes = models.JSONField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=reduce(or_, (_only(kind) for kind in RECORD_FIELDS)),
                name="amendment_of_one_record",
            ),
        ]

    def __str__(self) -> str:
        return f"Amendment {self.at:%Y-%m-%d %H:%M}"

    @property
    def record_key(self) -> tuple[str, int]:
        """(kind, id) of the record corrected, the kinds of treatments.amendable."""
        ids = ((kind, getattr(self, f"{kind}_id")) for kind in RECORD_FIELDS)
        return next((kind, pk) for kind, pk in ids if pk is not None)
