"""What the deployment's operator watches beyond "is it up" (docs/OPERATIONS.md, "Monitoring"):
reminders that failed every retry and wait for a clinic admin, and the call-back request that
has waited longest for anyone to pick it up. Counts and ages by clinic, never a patient.

Here, above the apps, because it reads two of them for every clinic at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Min

from patients.models import CallbackRequest, CallbackStatus
from treatments.models import Reminder
from treatments.models.reminders import FAILED_UNHANDLED


@dataclass(frozen=True)
class Backlog:
    # clinic slug -> reminders failed every retry, not handled (clinics with none left out)
    reminders_failed: dict[str, int]
    # clinic slug -> when its oldest request still waiting for a call (not claimed) came in
    callback_oldest_open: dict[str, datetime]

    @property
    def reminders_failed_total(self) -> int:
        return sum(self.reminders_failed.values())

    def callback_oldest_minutes(self, now: datetime) -> dict[str, int]:
        return {
            slug: int((now - at).total_seconds() // 60)
            for slug, at in self.callback_oldest_open.items()
        }


def backlog() -> Backlog:
    """Two grouped queries, whatever the number of clinics or rows."""
    failed = (
        Reminder.objects.filter(FAILED_UNHANDLED)
        .values_list("course__patient__clinic__slug")
        .annotate(n=Count("id"))
        .order_by()
    )
    waiting = (
        CallbackRequest.objects.filter(status=CallbackStatus.OPEN)
        .values_list("clinic__slug")
        .annotate(oldest=Min("created_at"))
        .order_by()
    )
    return Backlog(
        reminders_failed=dict(sorted(failed)),
        callback_oldest_open=dict(sorted(waiting)),
    )
