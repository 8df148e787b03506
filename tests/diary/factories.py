"""Diary rows made directly with the ORM (independent of the entry services)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from diary.models import AcuteMedicine, DiaryEntry, DiaryEntryMedicine


def medicine(patient: Any, medicine_class: str, name: str | None = None) -> AcuteMedicine:
    return AcuteMedicine.objects.get_or_create(
        patient=patient,
        name=name or medicine_class,
        defaults={"medicine_class": medicine_class},
    )[0]


def entry(
    patient: Any,
    day: date,
    *,
    headache: bool = True,
    hours: str | float | None = None,
    medicines: Iterable[AcuteMedicine] = (),
    **fields: Any,
) -> DiaryEntry:
    """One diary day; a headache with `hours` (None: duration not recorded) and any
    features given as keyword arguments (`throbbing=True`, `severity="severe"`)."""
    row = DiaryEntry.objects.create(
        patient=patient,
        day=day,
        headache=headache,
        duration_hours=None if hours is None else Decimal(str(hours)),
        entered_by=patient.responsible_clinician,
        **fields,
    )
    DiaryEntryMedicine.objects.bulk_create(
        DiaryEntryMedicine(entry=row, medicine=m) for m in medicines
    )
    return row


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(count)]


def fill(patient: Any, start: date, count: int, **kwargs: Any) -> list[DiaryEntry]:
    """`count` consecutive days from `start`, each the same entry."""
    return [entry(patient, d, **kwargs) for d in days(start, count)]
