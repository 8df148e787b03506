"""The appointment calendar's reads: a clinic's visits over days, each clinician's or room's
day with its free time, and the free slots a visit can take. Each reads in a fixed number of
queries whatever the range."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from botoxcare.forms import clinicians_of
from botoxcare.models import Clinic

from ..calendar import (
    CALENDAR_YEARS,
    Line,
    Slot,
    Span,
    day_span,
    line_build,
    next_quarter,
    slot_starts,
)
from ..models import Appointment, AppointmentStatus

# What the calendar reads of a visit, its patient and its clinician: a day of a clinic is a
# hundred visits or more, each made into three model instances, and the rest of their columns
# (a patient's contact details and dates, a user's password hash) cost as much again to load.
VISIT_FIELDS = (
    "patient_id",
    "clinician_id",
    "kind",
    "room",
    "status",
    "starts_at",
    "ends_at",
    "patient__first_name",
    "patient__last_name",
    "clinician__first_name",
    "clinician__last_name",
    "clinician__username",
)


def visits_between(*, clinic: Clinic, start: datetime, end: datetime) -> QuerySet[Appointment]:
    """The clinic's visits (all but cancelled ones) that overlap [start, end), with patient
    and clinician (their `VISIT_FIELDS` only). No visit lasts a day (the booking form's longest
    is four hours), so the start-time index is read from a day before `start` only, never
    from the first visit ever."""
    return (
        Appointment.objects.filter(
            patient__clinic=clinic,
            starts_at__gt=start - timedelta(days=1),
            starts_at__lt=end,
            ends_at__gt=start,
        )
        .exclude(status=AppointmentStatus.CANCELLED)
        .select_related("patient", "clinician")
        .only(*VISIT_FIELDS)
        .order_by("starts_at", "id")
    )


class CalendarBy(StrEnum):
    CLINICIAN = "clinician"
    ROOM = "room"


def calendar_clinicians(clinic: Clinic) -> list[Any]:
    """The clinic's active clinicians with their working hours, by name."""
    return list(
        clinicians_of(clinic).filter(is_active=True).select_related("staff_profile").distinct()
    )


def calendar_lines(
    *,
    clinic: Clinic,
    days: Sequence[date],
    by: CalendarBy,
    key: str = "",
    now: datetime,
    clinicians: list[Any] | None = None,
) -> list[Line]:
    """The calendar of `days` (in order) for each of the clinic's clinicians, or each room,
    or only the one named by `key` (a clinician's id, a room's name; anything else is a 404):
    a line a day and column, with its visits and the free time still ahead of `now` inside
    the clinician's working hours (a room's: the clinic's day). Two queries for any range (one
    when the caller passes the clinic's `clinicians` as `calendar_clinicians` reads them)."""
    cfg = clinic.settings
    start = day_span(days[0], time.min, time.min)[0]
    end = day_span(days[-1] + timedelta(days=1), time.min, time.min)[0]
    visits_in = visits_between(clinic=clinic, start=start, end=end)
    if key and by == CalendarBy.CLINICIAN and key.isdigit():  # one clinician's: read only theirs
        visits_in = visits_in.filter(clinician_id=int(key))
    elif key and by == CalendarBy.ROOM:
        visits_in = visits_in.filter(room__iexact=key)
    on_day: dict[date, list[Any]] = {}  # each visit on the day it starts, in the clinic's zone
    for visit in visits_in:
        on_day.setdefault(timezone.localdate(visit.starts_at), []).append(visit)
    shortest = timedelta(minutes=cfg.shortest_visit_minutes)
    after = next_quarter(now)

    def line(key: str, label: str, day: date, hours: Span | None, mine: list[Any]) -> Line:
        return line_build(
            key=key, label=label, day=day, hours=hours, visits=mine, shortest=shortest, after=after
        )

    lines = []
    if by == CalendarBy.ROOM:
        rooms = [r for r in cfg.room_names if not key or r == key]
        if key and not rooms:
            raise Http404
        for day in days:
            opening: Span | None = day_span(day, cfg.day_starts, cfg.day_ends)
            for room in rooms:
                mine = [v for v in on_day.get(day, []) if v.room.lower() == room.lower()]
                lines.append(line(room, room, day, opening, mine))
        return lines
    people = calendar_clinicians(clinic) if clinicians is None else clinicians
    if key:
        people = [p for p in people if str(p.pk) == key]
        if not people:
            raise Http404
    known = {p.pk for p in people}
    for day in days:
        visits = on_day.get(day, [])
        for person in people:
            times = person.staff_profile.hours_on(day, cfg)
            hours = day_span(day, *times) if times else None
            mine = [v for v in visits if v.clinician_id == person.pk]
            name = person.get_full_name() or person.username
            lines.append(line(str(person.pk), name, day, hours, mine))
        others = line(
            "", "No clinician named", day, None, [v for v in visits if v.clinician_id not in known]
        )
        if others.entries and not key:
            lines.append(others)
    return lines


def free_slots(*, clinic: Clinic, days: Sequence[date], minutes: int, now: datetime) -> list[Slot]:
    """Every slot of `minutes` on `days` in which a clinician is working and free and (when
    the clinic lists rooms) a room is free too, in time order: what a patient may choose."""
    length = timedelta(minutes=minutes)
    rooms = (
        calendar_lines(clinic=clinic, days=days, by=CalendarBy.ROOM, now=now)
        if clinic.settings.room_names
        else []
    )
    slots = []
    for line in calendar_lines(clinic=clinic, days=days, by=CalendarBy.CLINICIAN, now=now):
        if not line.key:
            continue
        spans = [(e.starts_at, e.ends_at) for e in line.free]
        for at in slot_starts(spans, length=length, after=now):
            room = next((r.key for r in rooms if r.day == line.day and r.holds(at, length)), None)
            if room is None and rooms:
                continue
            slots.append(
                Slot(
                    starts_at=at, clinician_id=int(line.key), clinician=line.label, room=room or ""
                )
            )
    return sorted(slots, key=lambda s: (s.starts_at, s.clinician))


def calendar_columns(
    *, clinic: Clinic, by: CalendarBy, clinicians: list[Any] | None = None
) -> list[tuple[str, str]]:
    """What the calendar can show a line for: (key, label) of each active clinician, or of
    each room the clinic lists."""
    if by == CalendarBy.ROOM:
        return [(room, room) for room in clinic.settings.room_names]
    people = calendar_clinicians(clinic) if clinicians is None else clinicians
    return [(str(p.pk), p.get_full_name() or p.username) for p in people]


@dataclass(frozen=True)
class SlotChoice:
    """A free slot picked on the calendar, to be booked: its time, clinician and room."""

    starts_at: datetime
    clinician: Any
    room: str

    @property
    def query(self) -> dict[str, str]:
        """The slot as a link's parameters (no patient data)."""
        return {
            "starts_at": timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M"),
            "clinician": str(self.clinician.pk) if self.clinician else "",
            "room": self.room,
        }


def slot_from(params: Mapping[str, str], *, clinic: Clinic) -> SlotChoice:
    """The slot a calendar link names: a time, one of the clinic's clinicians (or none), one
    of its rooms (or none). Anything else, or another clinic's clinician, is a 404."""
    try:  # None when unreadable; ValueError for a well-formed impossible time (30 February)
        raw = parse_datetime(params.get("starts_at", "") or "")
    except ValueError:
        raw = None
    if raw is None or raw.year not in CALENDAR_YEARS:
        raise Http404
    starts_at = timezone.make_aware(raw) if timezone.is_naive(raw) else raw
    clinician = None
    if params.get("clinician"):
        pk = params["clinician"]
        clinician = next((p for p in calendar_clinicians(clinic) if str(p.pk) == pk), None)
        if clinician is None:
            raise Http404
    room = params.get("room", "")
    if room and room not in clinic.settings.room_names:
        raise Http404
    return SlotChoice(starts_at=starts_at, clinician=clinician, room=room)


def room_free_at(*, clinic: Clinic, starts_at: datetime, minutes: int) -> str:
    """The first of the clinic's rooms with no visit booked over [starts_at, + minutes), or ""
    when none is free or the clinic lists no rooms. One query."""
    rooms = clinic.settings.room_names
    if not rooms:
        return ""
    ends_at = starts_at + timedelta(minutes=minutes)
    taken = {
        room.lower()
        for room in visits_between(clinic=clinic, start=starts_at, end=ends_at)
        .filter(status=AppointmentStatus.BOOKED)
        .values_list("room", flat=True)
    }
    return next((r for r in rooms if r.lower() not in taken), "")


def visits_begun(lines: Sequence[Line], *, now: datetime) -> list[Appointment]:
    """The visits of these lines still booked though they have begun: to be closed."""
    seen: dict[int, Appointment] = {}
    for line in lines:
        for visit in line.visits:
            if visit.status == AppointmentStatus.BOOKED and visit.starts_at <= now:
                seen[visit.pk] = visit
    return list(seen.values())
