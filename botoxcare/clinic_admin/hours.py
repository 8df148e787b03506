"""A staff member's working week, which bounds the free time the calendar offers with them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import time

from django.contrib.auth.models import User
from django.db import transaction

from ..audit import changes, log_action, snapshot
from ..errors import refuse
from ..models import Clinic, StaffProfile
from ..roles import Action, require
from .reasons import AdminReason

HOURS_FIELDS = ("work_days", "work_starts", "work_ends")


def staff_hours_change(
    *,
    member: User,
    by: User,
    clinic: Clinic,
    days: Iterable[int],
    starts: time | None,
    ends: time | None,
) -> StaffProfile:
    """Set the ISO weekdays `member` works and their hours (None: the clinic's day). The
    member is already scoped to `clinic`. Raises DomainError HOURS_END_BEFORE_START when the
    day would end before it starts (the clinic's own hours filling an empty side)."""
    require(by, Action.MANAGE_STAFF)
    cfg = clinic.settings
    if (ends or cfg.day_ends) <= (starts or cfg.day_starts):
        raise refuse(
            AdminReason.HOURS_END_BEFORE_START,
            "The working day must end after it starts (an empty time is the clinic's).",
            field="work_ends",
        )
    with transaction.atomic():
        profile = StaffProfile.objects.select_for_update().get(user=member, clinic=clinic)
        before = snapshot(profile, HOURS_FIELDS)
        profile.work_days = sorted({int(d) for d in days if 1 <= int(d) <= 7})
        profile.work_starts, profile.work_ends = starts, ends
        profile.save(update_fields=["work_days", "work_starts", "work_ends"])
        log_action(
            "staff.hours_changed",
            user=by,
            clinic=clinic,
            target=profile,
            data={"member": member.pk, **changes(before, snapshot(profile, HOURS_FIELDS))},
        )
    return profile
