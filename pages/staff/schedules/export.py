"""The schedules CSV: the filtered view, every page of it, for a spreadsheet.

Dates are the clinic's (its time zone); no clinical notes (a contact attempt's note is left
out too); a cell a spreadsheet would read as a formula is neutralised."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.utils import timezone

from botoxcare.spreadsheet import csv_stream

from .selectors import ScheduleRow

HEADER = [
    "Identifier",
    "Name",
    "Clinician",
    "Last session",
    "Status",
    "Due date",
    "Next visit",
    "Last contact",
]


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _moment(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def csv_line(row: ScheduleRow) -> list[str]:
    p = row.patient
    clinician = p.responsible_clinician
    contact = row.last_contact
    cells = [
        p.identifier,
        f"{p.last_name}, {p.first_name}",
        (clinician.get_full_name() or clinician.username) if clinician else "",
        _day(row.last_session),
        (row.status.label or "before window") if row.status else "",
        _day(row.status.due if row.status else None),
        _moment(row.next_visit) or "not booked",
        f"{_moment(contact.at)} {contact.get_channel_display()}: {contact.get_outcome_display()}"
        if contact
        else "",
    ]
    return cells


def csv_lines(rows: Iterable[ScheduleRow]) -> Iterator[str]:
    """The file, line by line, each cell neutralised (botoxcare.spreadsheet)."""
    return csv_stream(HEADER, (csv_line(row) for row in rows))
