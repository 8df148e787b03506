"""The stable codes of refusals about keeping the headache diary."""

from __future__ import annotations

from enum import StrEnum


class Reason(StrEnum):
    DAY_IN_FUTURE = "day_in_future"
    DAY_BEFORE_COURSE = "day_before_course"
    DAY_BEFORE_BIRTH = "day_before_birth"
    DAY_ALREADY_RECORDED = "day_already_recorded"
    DAY_NOT_IN_BACKFILL = "day_not_in_backfill"
    AMENDMENT_NEEDS_REASON = "amendment_needs_reason"
    DETAILS_WITHOUT_HEADACHE = "details_without_headache"
    DURATION_OUT_OF_RANGE = "duration_out_of_range"
    PAIN_SCORE_OUT_OF_RANGE = "pain_score_out_of_range"
    DOSES_OUT_OF_RANGE = "doses_out_of_range"
    MEDICINE_NOT_ON_LIST = "medicine_not_on_list"
    MEDICINE_NAME_TAKEN = "medicine_name_taken"
    MEDICINE_NAME_MISSING = "medicine_name_missing"
    WRITER_NOT_ALLOWED = "writer_not_allowed"
    PATIENT_OF_ANOTHER_CLINIC = "patient_of_another_clinic"
    NOTHING_TO_BACKFILL = "nothing_to_backfill"
    IMPORT_ROW_INVALID = "import_row_invalid"
    IMPORT_EMPTY = "import_empty"
    IMPORT_HEADER = "import_header"


class Flag(StrEnum):
    """The diary's flags (diary/figures.py): each met or not, with the figures behind it."""

    TOO_FEW_RECORDED = "too_few_recorded"
    MEDICATION_OVERUSE = "medication_overuse"
    CHRONIC_MIGRAINE = "chronic_migraine"
    STOP_RULE = "stop_rule"


# Each flag's name on the patient page and in the cycle summary.
FLAG_LABELS = {
    Flag.TOO_FEW_RECORDED: "Too few days recorded",
    Flag.MEDICATION_OVERUSE: "Medication overuse",
    Flag.CHRONIC_MIGRAINE: "Chronic migraine criteria",
    Flag.STOP_RULE: "Stop rule",
}

# The list of flagged patients' order, the flag that asks most of the clinician first, and
# each flag's weight in a standing's `rank` (one bit a flag, the first the heaviest), so that
# sorting by rank sorts by the weightiest flag met, then the next.
FLAG_ORDER = (Flag.STOP_RULE, Flag.MEDICATION_OVERUSE, Flag.CHRONIC_MIGRAINE, Flag.TOO_FEW_RECORDED)
FLAG_BITS = {flag: 1 << (len(FLAG_ORDER) - 1 - i) for i, flag in enumerate(FLAG_ORDER)}


def flag_rank(met: set[Flag] | frozenset[Flag]) -> int:
    """A standing's rank: 0 for none met, higher for weightier flags."""
    return sum(FLAG_BITS[f] for f in met)
