"""The windows diary figures are counted over, as clinic-local dates: 28-day periods counted
back from an end day, or calendar months; the baseline before a course's first session; each
cycle from one session to the day before the next. Pure date arithmetic: a diary day is a
`date` in the clinic's time zone, so a clock change moves no day between periods."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from botoxcare.models.diary_rules import DiaryPeriod

PERIOD_DAYS = 28
# The mean calendar month, which figures of a window in month mode are normalised to.
MONTH_DAYS = Fraction(36525, 1200)


@dataclass(frozen=True)
class Window:
    """Days `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)


def period_length(kind: str) -> Fraction:
    """The length one period stands for: 28 days, or the mean calendar month."""
    return Fraction(PERIOD_DAYS) if kind == DiaryPeriod.DAYS_28 else MONTH_DAYS


def _month_start(day: date, back: int) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


def periods_ending(kind: str, end: date, count: int) -> list[Window]:
    """The last `count` complete periods up to `end`, oldest first. 28 days: the last ends on
    `end` itself. Calendar months: the last is the latest month that has ended by `end` (the
    month of `end` if `end` is its last day), so that no period is judged half-kept."""
    if count <= 0:
        return []
    if kind == DiaryPeriod.DAYS_28:
        return [
            Window(
                end - timedelta(days=PERIOD_DAYS * (k + 1) - 1), end - timedelta(PERIOD_DAYS * k)
            )
            for k in reversed(range(count))
        ]
    first_back = 0 if (end + timedelta(days=1)).day == 1 else 1
    windows = []
    for k in reversed(range(count)):
        start = _month_start(end, first_back + k)
        windows.append(Window(start, _month_start(start, -1) - timedelta(days=1)))
    return windows


def baseline_window(kind: str, first_session: date) -> Window:
    """The period before the first session: its 28 days, or the month up to the day before
    (15 March's baseline is 15 February to 14 March)."""
    end = first_session - timedelta(days=1)
    if kind == DiaryPeriod.DAYS_28:
        return Window(first_session - timedelta(days=PERIOD_DAYS), end)
    month = _month_start(first_session, 1)
    last = (_month_start(first_session, 0) - timedelta(days=1)).day
    return Window(month.replace(day=min(first_session.day, last)), end)


def cycle_windows(sessions: Sequence[date], end: date) -> list[Window]:
    """Each cycle from its session to the day before the next; the last up to `end`."""
    return [
        Window(day, (sessions[i + 1] - timedelta(days=1)) if i + 1 < len(sessions) else end)
        for i, day in enumerate(sessions)
    ]
