"""The stable codes of refusals about keeping the headache diary."""

from __future__ import annotations

from enum import StrEnum


class Flag(StrEnum):
    """The diary's flags (diary/figures.py): each met or not, with the figures behind it."""

    TOO_FEW_RECORDED = "too_few_recorded"
    MEDICATION_OVERUSE = "medication_overuse"
    CHRONIC_MIGRAINE = "chronic_migraine"
    STOP_RULE = "stop_rule"
