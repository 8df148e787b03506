"""The appointment calendar's arithmetic: a day's free time between booked visits, the slots
it holds, and one line of the calendar (a clinician's or a room's day). Pure functions of aware
datetimes and the visits passed in; the selectors read the rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from .models import Appointment

Span = tuple[datetime, datetime]

# The years a calendar address may name: any other (0001, 9999) is a typo, and its week or
# its neighbours would not be real dates.
CALENDAR_YEARS = range(1900, 3000)


def day_read(raw: str) -> date | None:
    """The day `raw` (YYYY-MM-DD) names, or None when unreadable or outside CALENDAR_YEARS."""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return None
    return day if day.year in CALENDAR_YEARS else None


def day_span(day: date, starts: time, ends: time) -> Span:
    """[starts, ends) of `day` in the current (the clinic's) time zone."""
    return (
        timezone.make_aware(datetime.combine(day, starts)),
        timezone.make_aware(datetime.combine(day, ends)),
    )


def next_quarter(moment: datetime) -> datetime:
    """The next quarter hour from `moment` (itself if it is one): free time starts there."""
    local = timezone.localtime(moment).replace(second=0, microsecond=0)
    if local < moment:
        local += timedelta(minutes=1)
    return local + timedelta(minutes=-local.minute % 15)


def free_spans(day: Span, busy: Iterable[Span], *, shortest: timedelta) -> list[Span]:
    """The parts of `day` that no span of `busy` covers, in order, each at least `shortest`
    long. Busy spans may overlap each other or run past either end of the day."""
    start, end = day
    free: list[Span] = []
    cursor = start
    for busy_start, busy_end in sorted(busy):
        if busy_end <= cursor:
            continue
        if busy_start >= end:
            break
        if busy_start - cursor >= shortest:
            free.append((cursor, busy_start))
        cursor = max(cursor, busy_end)
    if end - cursor >= shortest:
        free.append((cursor, end))
    return free


def slot_starts(spans: Iterable[Span], *, length: timedelta, after: datetime) -> list[datetime]:
    """Back-to-back slots of `length` inside the free spans, each beginning after `after`."""
    starts = []
    for start, end in spans:
        at = start
        while at + length <= end:
            if at > after:
                starts.append(at)
            at += length
    return starts


@dataclass(frozen=True)
class Entry:
    """A booked visit, or free time (`visit` None) long enough for the shortest visit."""

    starts_at: datetime
    ends_at: datetime
    visit: Appointment | None = None

    @property
    def is_free(self) -> bool:
        return self.visit is None


@dataclass
class Line:
    """One clinician's or one room's day: its visits and free time in time order. `hours` is
    None on a day off (visits booked anyway are still shown)."""

    key: str
    label: str
    day: date
    hours: Span | None
    entries: list[Entry] = field(default_factory=list)

    @property
    def visits(self) -> list[Appointment]:
        return [e.visit for e in self.entries if e.visit is not None]

    @property
    def free(self) -> list[Entry]:
        return [e for e in self.entries if e.is_free]

    def holds(self, at: datetime, length: timedelta) -> bool:
        """Some free time of this line covers [at, at + length)."""
        return any(e.starts_at <= at and at + length <= e.ends_at for e in self.free)


@dataclass(frozen=True)
class Slot:
    """A time a visit can be booked: with this clinician, in this room (or none listed)."""

    starts_at: datetime
    clinician_id: int
    clinician: str
    room: str


def line_build(
    *,
    key: str,
    label: str,
    day: date,
    hours: Span | None,
    visits: Sequence[Appointment],
    shortest: timedelta,
    after: datetime,
) -> Line:
    """The line of a day: its visits (those given, which the caller chose as this line's) and
    the free time inside `hours` that is still ahead of `after` (now, say)."""
    free: list[Span] = []
    if hours is not None:
        opens = (max(hours[0], after), hours[1]) if hours[1] > after else None
        if opens is not None:
            busy = [(v.starts_at, v.ends_at) for v in visits]
            free = free_spans(opens, busy, shortest=shortest)
    entries = [Entry(v.starts_at, v.ends_at, v) for v in visits]
    entries += [Entry(start, end) for start, end in free]
    entries.sort(key=lambda e: (e.starts_at, e.visit is None))
    return Line(key=key, label=label, day=day, hours=hours, entries=entries)
