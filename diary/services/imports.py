"""Importing diary days from a CSV file (the format of `diary.exchange`): every row is read
and judged first, each bad row named with what is wrong; only a file without any bad row is
stored, in one transaction."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import DomainError, Refusal, refuse
from patients.models import Patient

from .. import exchange
from ..models import ActivityEffect, AcuteMedicine, DiaryEntry, Severity
from ..reasons import Reason
from .entries import DayRecord, _record_refusals, _write
from .standing import standing_queue
from .writing import day_refusal, diary_start, writer_on_behalf


def _row_record(row: dict[str, str], medicines: dict[str, int]) -> tuple[date, DayRecord]:
    """One row's day and record; raises CellError for the first unreadable cell."""
    day = exchange.read_day(row.get("day") or "")
    taken = exchange.read_medicines(row.get("medicines") or "")
    unknown = sorted(set(taken) - set(medicines))
    if unknown:
        raise exchange.CellError(
            f"medicines: {', '.join(unknown)} is not on the list of acute medicines; add it first."
        )
    return day, DayRecord(
        headache=exchange.read_headache(row.get("headache") or ""),
        started_at=exchange.read_time(row.get("started_at") or ""),
        duration_hours=exchange.read_hours(row.get("duration_hours") or ""),
        severity=exchange.read_choice(row.get("severity") or "", "severity", Severity),
        pain_score=exchange.read_score(row.get("pain_score") or ""),
        features=exchange.read_features(row.get("features") or ""),
        medicines={medicines[name]: doses for name, doses in taken.items()},
        activity_effect=exchange.read_choice(
            row.get("activity_effect") or "", "activity_effect", ActivityEffect
        ),
        note=exchange.cell_text(row.get("note") or ""),
    )


def diary_import(
    *, patient: Patient, by: Any, text: str, today: date | None = None
) -> list[DiaryEntry]:
    """Store the days of a diary CSV (new days only: a day already in the diary is refused,
    change it on its page). Raises DomainError with one refusal per bad row (its `subject`
    "Row N", counting the header as row 1) and stores nothing if any row is bad."""
    today = today or timezone.localdate()
    on_behalf = writer_on_behalf(patient=patient, by=by)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if not header or any(c not in header for c in exchange.REQUIRED):
        raise refuse(
            Reason.IMPORT_HEADER,
            "The first line must name the columns, with at least day and headache: "
            + ",".join(exchange.COLUMNS),
        )
    unknown = [h for h in header if h not in exchange.COLUMNS]
    if unknown:
        raise refuse(Reason.IMPORT_HEADER, f"Unknown columns: {', '.join(unknown)}.")
    medicines = {
        m.name.lower(): m.pk for m in AcuteMedicine.objects.filter(patient=patient, active=True)
    }
    start = diary_start(patient)
    recorded = set(DiaryEntry.objects.filter(patient=patient).values_list("day", flat=True))
    found: list[Refusal] = []
    days: dict[date, DayRecord] = {}
    for number, row in enumerate(reader, start=2):
        if number - 1 > exchange.MAX_ROWS:
            raise refuse(
                Reason.IMPORT_ROW_INVALID, f"Import at most {exchange.MAX_ROWS} days at a time."
            )
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        subject = f"Row {number}"
        if None in row:
            found.append(
                Refusal(Reason.IMPORT_ROW_INVALID, "more cells than columns.", subject=subject)
            )
            continue
        try:
            day, record = _row_record(row, medicines)
        except exchange.CellError as error:
            found.append(Refusal(Reason.IMPORT_ROW_INVALID, str(error), subject=subject))
            continue
        refusals = [
            r for r in [day_refusal(patient=patient, day=day, today=today, start=start)] if r
        ]
        if day in recorded or day in days:
            refusals.append(
                Refusal(
                    Reason.DAY_ALREADY_RECORDED,
                    f"{day.isoformat()} is already in the diary (or twice in the file).",
                )
            )
        refusals += _record_refusals(patient, record)
        found += [Refusal(r.code, r.message, subject=subject) for r in refusals]
        days[day] = record
    if found:
        raise DomainError(*found, summary="Nothing was imported; please correct these rows:")
    if not days:
        raise refuse(Reason.IMPORT_EMPTY, "The file has no diary days to import.")
    with transaction.atomic():
        entries = []
        for day, record in sorted(days.items()):
            entry = DiaryEntry(patient=patient, day=day, entered_by=by, on_behalf=on_behalf)
            _write(entry, record)
            entries.append(entry)
        standing_queue(patient.pk)
        log_action(
            "diary.imported",
            user=by,
            patient=patient,
            data={
                "days": len(entries),
                "first": min(days),
                "last": max(days),
                "on_behalf": on_behalf,
            },
        )
        return entries
