"""The calendar's arithmetic: free time between visits, the slots it holds, the quarter hour
free time starts at, and one line of a day (inside working hours, ahead of now)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from patients.calendar import day_span, free_spans, line_build, next_quarter, slot_starts

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 12, 8)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def visit(start: datetime, minutes: int) -> SimpleNamespace:
    return SimpleNamespace(starts_at=start, ends_at=start + timedelta(minutes=minutes))


def test_free_spans_between_overlapping_visits_and_past_the_ends_of_the_day():
    busy = [
        (at(8), at(9)),  # starts before the day
        (at(10), at(11)),
        (at(10, 30), at(11, 30)),  # overlaps the one before
        (at(11, 40), at(12)),  # leaves ten minutes: too short
        (at(16, 30), at(18)),  # runs past the end
    ]
    free = free_spans((at(8, 30), at(17)), busy, shortest=timedelta(minutes=20))
    assert free == [(at(9), at(10)), (at(12), at(16, 30))]


def test_a_day_with_nothing_booked_is_free_from_start_to_end():
    assert free_spans((at(9), at(17)), [], shortest=timedelta(minutes=20)) == [(at(9), at(17))]


def test_slots_are_back_to_back_inside_free_time_and_after_now():
    spans = [(at(9), at(10, 15)), (at(14), at(14, 20))]
    starts = slot_starts(spans, length=timedelta(minutes=30), after=at(9, 10))
    assert starts == [at(9, 30)]  # 9:00 has begun; 10:00 would end after 10:15; 14:00 too short


def test_free_time_starts_at_the_next_quarter_hour():
    assert next_quarter(at(9, 0)) == at(9, 0)
    assert next_quarter(at(9, 1)) == at(9, 15)
    assert next_quarter(at(9, 44) + timedelta(seconds=30)) == at(9, 45)
    assert next_quarter(at(9, 45) + timedelta(seconds=30)) == at(10, 0)


def test_a_line_shows_its_visits_and_the_free_time_left_ahead_of_now():
    visits = [visit(at(9), 30), visit(at(13), 45)]
    line = line_build(
        key="7",
        label="Dr A",
        day=DAY,
        hours=(at(8, 30), at(17)),
        visits=visits,
        shortest=timedelta(minutes=20),
        after=at(10, 0),
    )
    kinds = [("visit" if e.visit else "free", e.starts_at, e.ends_at) for e in line.entries]
    assert kinds == [
        ("visit", at(9), at(9, 30)),
        ("free", at(10), at(13)),
        ("visit", at(13), at(13, 45)),
        ("free", at(13, 45), at(17)),
    ]
    assert line.holds(at(15), timedelta(minutes=30))
    assert not line.holds(at(12, 45), timedelta(minutes=30))


def test_a_day_off_has_no_free_time_but_still_shows_its_visits():
    line = line_build(
        key="7",
        label="Dr A",
        day=DAY,
        hours=None,
        visits=[visit(at(9), 30)],
        shortest=timedelta(minutes=20),
        after=at(8),
    )
    assert line.free == [] and len(line.visits) == 1


def test_a_day_that_has_passed_has_no_free_time():
    line = line_build(
        key="7",
        label="Dr A",
        day=DAY,
        hours=(at(8, 30), at(17)),
        visits=[],
        shortest=timedelta(minutes=20),
        after=at(18),
    )
    assert line.entries == []


def test_the_day_of_the_october_clock_change_is_an_hour_longer_in_real_time(settings):
    settings.TIME_ZONE = "Europe/London"
    start, end = day_span(date(2026, 10, 25), time(0, 0), time(23, 0))
    utc = ZoneInfo("UTC")
    assert end.astimezone(utc) - start.astimezone(utc) == timedelta(hours=24)  # 23 on the clock
    assert start.utcoffset() == timedelta(hours=1) and end.utcoffset() == timedelta(0)
