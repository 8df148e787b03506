"""The diary nudge: a patient in maintenance who has written nothing in their diary for the
clinic's `diary_nudge_days` is sent one reminder (a `Reminder` row, swept and sent by
treatments' sweep through the patient's own channel and opt-outs, in neutral words).

One nudge for each silence: the reminder's key names the day the silence began (the last
diary day, or the last session when nothing was written since), so running this twice, or
every night of a long silence, schedules it once; writing again and falling silent again
earns a new one. Run nightly by beat (`diary.tasks.diary_nudges`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from botoxcare.audit import log_action
from treatments.models import Course, Reminder, ReminderKind, State
from treatments.services.reminders import reminder_time

from .models import DiaryEntry


def diary_nudges_schedule(*, now: datetime | None = None) -> int:
    """Schedule the nudges due today; returns how many were new. Only patients with a portal
    login are nudged (the diary is kept there)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    last_day = (
        DiaryEntry.objects.filter(patient=OuterRef("patient"))
        .values("patient")
        .annotate(last=Max("day"))
        .values("last")
    )
    courses = (
        Course.objects.filter(state=State.MAINTENANCE, patient__user__isnull=False)
        .select_related("patient__clinic__settings")
        .annotate(last_entry=Subquery(last_day))
        .order_by("pk")
    )
    made = 0
    for course in courses.iterator(chunk_size=500):
        cfg = course.patient.clinic.settings
        known = [d for d in (course.last_entry, course.last_session_on) if d is not None]
        if not known:
            continue
        since = max(known)
        if (today - since).days < cfg.diary_nudge_days:
            continue
        due = reminder_time(today, cfg)
        if due <= now:
            due = reminder_time(today + timedelta(days=1), cfg)
        with transaction.atomic():
            reminder, created = Reminder.objects.get_or_create(
                key=f"diary:{course.pk}:{since.isoformat()}",
                defaults={"course": course, "kind": ReminderKind.DIARY_NUDGE, "due_at": due},
            )
            if created:
                made += 1
                log_action(
                    "reminder.diary_nudge_scheduled",
                    patient=course.patient,
                    target=reminder,
                    data={"silent_since": since, "due_at": due},
                )
    return made
