"""The patient page's diary card: the last periods' figures (baseline first), the response
of each cycle and the flags with the figures behind them. Two queries (the periods, the
baseline and cycles), whatever the number of periods and cycles; the session dates are the
course's sessions the page has already read (one more query for a course read without them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from diary.figures import Finding, diary_flags, flag_periods, per_period_text, percent
from diary.models import MedicineClass
from diary.selectors import CycleFigures, DiarySummary, PeriodFigures, diary_summary
from patients.models import Patient
from treatments.models import Course

# The periods the table shows; the flags read more when the clinic's patterns are longer.
CARD_PERIODS = 6


@dataclass(frozen=True)
class CardRow:
    label: str
    figures: PeriodFigures
    kind: str  # "baseline" or "period"

    @property
    def medicines(self) -> list[tuple[str, int]]:
        """Days by class, only the classes taken."""
        return [
            (label, self.figures.medicine_days.get(value, 0))
            for value, label in MedicineClass.choices
            if self.figures.medicine_days.get(value, 0)
        ]


@dataclass(frozen=True)
class CycleRow:
    cycle: CycleFigures
    per_period: str
    change: str


@dataclass(frozen=True)
class DiaryCard:
    summary: DiarySummary
    rows: list[CardRow]
    cycles: list[CycleRow]
    flags: list[Finding]

    @property
    def empty(self) -> bool:
        return not self.summary.has_entries


def diary_card(patient: Patient, course: Course | None, *, rules: Any, today: date) -> DiaryCard:
    count = max(CARD_PERIODS, flag_periods(rules))
    # The session dates from the course's sessions the page has read (course_current
    # prefetches them), rather than a query of their own.
    sessions = sorted(s.session_date for s in course.sessions.all()) if course else []
    summary = diary_summary(
        patient=patient, course=course, rules=rules, end=today, count=count, sessions=sessions
    )
    rows = [CardRow("Baseline", summary.baseline, "baseline")] if summary.baseline else []
    rows += [CardRow("", p, "period") for p in summary.periods[-CARD_PERIODS:]]
    cycles = [
        CycleRow(c, per_period_text(c, summary.kind) or "—", percent(c.response.change_percent))
        for c in summary.cycles
    ]
    return DiaryCard(summary, rows, cycles, diary_flags(summary, rules))


def diary_card_context(
    patient: Patient, course: Course | None, *, clinical: bool, today: date
) -> dict[str, Any]:
    """The card for the roles that read the clinical record; nothing for the others."""
    if not clinical:
        return {}
    return {"diary": diary_card(patient, course, rules=patient.clinic.settings, today=today)}
