"""The diary as a CSV file: its columns (documented in README.md, "Headache diary CSV"), an
entry's cells for the export, and a row's values read back for the import. The export's
file is what the import takes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from decimal import Decimal, InvalidOperation

from botoxcare.spreadsheet import FORMULA_STARTS

from .models import ActivityEffect, DiaryEntry, Severity

COLUMNS = [
    "day",
    "headache",
    "started_at",
    "duration_hours",
    "severity",
    "pain_score",
    "features",
    "medicines",
    "activity_effect",
    "note",
]
REQUIRED = ("day", "headache")
FEATURE_NAMES = (
    "throbbing",
    "one_sided",
    "worse_with_activity",
    "nausea",
    "light_sound_sensitivity",
    "aura",
)
# The most rows one import takes: five years of days.
MAX_ROWS = 2000


def entry_cells(entry: DiaryEntry) -> list[str]:
    """One entry as the export writes it (its medicines prefetched with their medicine)."""
    return [
        entry.day.isoformat(),
        "yes" if entry.headache else "no",
        entry.started_at.strftime("%H:%M") if entry.started_at else "",
        str(entry.duration_hours) if entry.duration_hours is not None else "",
        entry.severity,
        str(entry.pain_score) if entry.pain_score is not None else "",
        ";".join(f for f in FEATURE_NAMES if getattr(entry, f)),
        ";".join(f"{m.medicine.name}:{m.doses}" for m in entry.medicines.all()),
        entry.activity_effect,
        entry.note,
    ]


def diary_lines(patient_id: int) -> Iterator[list[str]]:
    """Every entry of the patient's diary, oldest first, as rows of cells."""
    entries = (
        DiaryEntry.objects.filter(patient_id=patient_id)
        .order_by("day")
        .prefetch_related("medicines__medicine")
    )
    for entry in entries.iterator(chunk_size=500):
        yield entry_cells(entry)


class CellError(ValueError):
    """A cell that cannot be read; its message names the column and what it should be."""


def cell_text(value: str) -> str:
    # The export's neutralising quote, taken off again ("'-" was "-").
    value = value.strip()
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def read_day(value: str) -> date:
    try:
        return date.fromisoformat(cell_text(value))
    except ValueError as error:
        raise CellError("day: write the date as YYYY-MM-DD, e.g. 2026-03-01.") from error


def read_headache(value: str) -> bool:
    value = cell_text(value).lower()
    if value not in ("yes", "no"):
        raise CellError("headache: write yes or no.")
    return value == "yes"


def read_time(value: str) -> time | None:
    value = cell_text(value)
    if not value:
        return None
    try:
        return time.fromisoformat(value)
    except ValueError as error:
        raise CellError("started_at: write the time as HH:MM, e.g. 07:30.") from error


def read_hours(value: str) -> Decimal | None:
    value = cell_text(value)
    if not value:
        return None
    try:
        hours = Decimal(value)
    except InvalidOperation as error:
        raise CellError("duration_hours: write a number of hours, e.g. 4.5.") from error
    if not hours.is_finite() or hours.as_tuple().exponent < -1:  # type: ignore[operator]
        raise CellError("duration_hours: write hours with at most one decimal, e.g. 4.5.")
    return hours


def read_choice(value: str, column: str, choices: type[Severity] | type[ActivityEffect]) -> str:
    value = cell_text(value).lower()
    if value and value not in choices.values:
        raise CellError(f"{column}: write one of {', '.join(choices.values)}, or leave it empty.")
    return value


def read_score(value: str) -> int | None:
    value = cell_text(value)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > 2:
        raise CellError("pain_score: write a whole number from 0 to 10.")
    return int(value)


def read_features(value: str) -> frozenset[str]:
    names = frozenset(n.strip().lower() for n in cell_text(value).split(";") if n.strip())
    unknown = names - set(FEATURE_NAMES)
    if unknown:
        raise CellError(
            f"features: {', '.join(sorted(unknown))} is not one of {', '.join(FEATURE_NAMES)}."
        )
    return names


def read_medicines(value: str) -> dict[str, int]:
    """`name:doses;name:doses` as {lower-case name: doses}."""
    taken: dict[str, int] = {}
    for part in cell_text(value).split(";"):
        if not part.strip():
            continue
        name, colon, doses = part.rpartition(":")
        doses = doses.strip()
        if not colon or not name.strip() or not (doses.isascii() and doses.isdigit()):
            raise CellError(
                "medicines: write name:doses, several separated by ;, e.g. Sumatriptan 50 mg:1."
            )
        taken[" ".join(name.split()).lower()] = int(doses[:3])
    return taken
