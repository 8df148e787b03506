"""What the schedules page keeps between requests (`botoxcare.freshness`) until the clinic next
changes: the counts per status (one aggregate of conditional counts over the very filters the
page offers) and each page's rows in their order (the sort over every patient in follow-up).

Both touch every patient in follow-up (thousands in a large clinic: the costliest part of the
page, growing with the clinic), while they change only when something of the clinic changes
or the clock moves on. So they are computed once and re-used while the clinic's change
counter stays put, on the same clinic day, for at most `KEPT_SECONDS`: a change made through
any service (a visit booked, moved, closed; a session recorded; a step taken; contact details
corrected) counts them again on the next request. What only the clock changes (a booked visit's
time passing, which makes its patient "not booked") shows within `KEPT_SECONDS`. Only ids,
dates and the step are kept: each row's patient, visit, reminder and contact are read fresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from django.core.paginator import Page
from django.db.models import Count

from botoxcare.freshness import kept
from botoxcare.models import Clinic
from treatments.retreatment import Due

from .selectors import StatusFilter, schedule_base, session_range, status_filter_q

KEPT_SECONDS = 30


@dataclass
class ScheduleCounts:
    total: int = 0
    before_window: int = 0
    window_open: int = 0
    due_today: int = 0
    overdue: int = 0
    open_not_booked: int = 0
    due_this_week: int = 0
    unreachable: int = 0

    def matching(self, status: StatusFilter | None) -> int:
        """How many rows the page lists with this filter (all of them without one)."""
        return self.total if status is None else int(getattr(self, status.value))


# Each count of a step of the window, by the range of `session_range`.
KIND_COUNTS = {
    "before_window": Due.BEFORE_WINDOW,
    "window_open": Due.WINDOW_OPEN,
    "due_today": Due.DUE,
    "overdue": Due.OVERDUE,
}


def schedule_counts(
    *, clinic: Clinic, today: date, now: datetime, clinician_id: int | None = None
) -> ScheduleCounts:
    """How many patients are at each status: one aggregate of conditional counts, one row
    whatever the clinic's size. Each count's condition is the filter the page lists it with
    (`status_filter_q`) or the range of its status (`session_range`), so a count is always
    the number of rows its link shows; the paginator reads its total from here too."""
    settings = clinic.settings
    conditions = {
        name: session_range(kind, settings=settings, today=today)
        for name, kind in KIND_COUNTS.items()
    }
    # "overdue" is both a step and a filter, with the same range.
    for status in StatusFilter:
        conditions[status.value] = status_filter_q(status, settings=settings, today=today, now=now)
    found = schedule_base(clinic=clinic, clinician_id=clinician_id).aggregate(
        total=Count("pk"),
        **{name: Count("pk", filter=condition) for name, condition in conditions.items()},
    )
    return ScheduleCounts(**found)


def schedule_counts_kept(
    *, clinic: Clinic, today: date, now: datetime, clinician_id: int | None = None
) -> ScheduleCounts:
    """`schedule_counts`, re-used until the clinic changes, the day turns or `KEPT_SECONDS`."""
    return kept(
        f"schedule-counts:{clinician_id or '-'}:{today.isoformat()}",
        clinic_id=clinic.pk,
        seconds=KEPT_SECONDS,
        compute=lambda: schedule_counts(
            clinic=clinic, today=today, now=now, clinician_id=clinician_id
        ),
        load=lambda found: ScheduleCounts(**found),
    )


class Head(NamedTuple):
    """A row of the sorted list as `selectors.schedule_list` gives it (`selectors.HEAD`)."""

    pk: int
    course_id: int
    state: str
    last_session_date: date | None


def schedule_page_kept(page: Page[Any], *, clinic: Clinic, key: str) -> list[Head]:
    """The rows of this page of the sorted list (`key`: its filters, sort and clinic day),
    re-used as the counts are."""
    return kept(
        f"schedule-page:{key}:{page.number}",
        clinic_id=clinic.pk,
        seconds=KEPT_SECONDS,
        compute=lambda: [Head(*head) for head in page],
        load=lambda found: [Head(*head) for head in found],
    )
