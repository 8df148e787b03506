"""The diary's writes: days recorded, changed and amended, the missing days filled in, a CSV
imported, the patient's acute medicines; MIDAS recorded and the plan's next version."""

from .entries import (
    BACKFILL_DAYS,
    FEATURES,
    DayRecord,
    days_missing,
    diary_day_no_headache,
    diary_days_backfill,
    diary_entry_record,
    entry_snapshot,
    needs_amendment,
)
from .imports import diary_import
from .medicines import acute_medicine_add, acute_medicine_deactivate
from .plans import plan_revise
from .questionnaires import questionnaire_record
from .writing import diary_start, writer_on_behalf

__all__ = [
    "BACKFILL_DAYS",
    "FEATURES",
    "DayRecord",
    "acute_medicine_add",
    "acute_medicine_deactivate",
    "days_missing",
    "diary_day_no_headache",
    "diary_days_backfill",
    "diary_entry_record",
    "diary_import",
    "diary_start",
    "entry_snapshot",
    "needs_amendment",
    "plan_revise",
    "questionnaire_record",
    "writer_on_behalf",
]
