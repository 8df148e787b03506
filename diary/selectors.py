"""Reads of the headache diary: each window's figures counted in the database, one grouped
query for any number of windows (`diary.window_counts`: each entry labelled with its window,
then grouped), so a page's query count does not grow with periods or cycles. Judgements of
these figures (overuse, the stop rule...) are in `diary.figures`.

Definitions (the clinic's `DiaryRules`):
- a headache day: a headache lasting at least `headache_day_min_hours`; a headache recorded
  without its duration counts;
- a migraine day: a headache day with at least `migraine_day_min_features` of throbbing,
  one-sided, worse with activity, moderate or severe pain, and nausea or light and sound
  sensitivity; or with aura; or with a triptan or ergot taken (so migraine days are some of
  the headache days, as ICHD-3's "≥15 days, ≥8 of them with migraine features" reads);
- a moderate/severe day: a headache day of moderate or severe peak pain;
- medicine days by class: days with any medicine of that class taken; `specific_days` the
  days with any of `SPECIFIC_CLASSES` (a triptan on one day, a combination analgesic on
  another: two days);
- headache hours: the recorded hours of every headache, whether a headache day or not.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from .periods import Window, baseline_window, cycle_windows, period_length, periods_ending
from .window_counts import no_medicines, window_tallies

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings
    from patients.models import Patient
    from treatments.models import Course

    from .figures import Response


@dataclass(frozen=True)
class PeriodFigures:
    """One window's figures: a period, the baseline or a cycle. `end` is included."""

    start: date
    end: date
    recorded_days: int = 0
    headache_days: int = 0
    migraine_days: int = 0
    moderate_severe_days: int = 0
    headache_hours: Decimal = Decimal(0)
    # Days with any medicine of each class, every `MedicineClass` value present.
    medicine_days: Mapping[str, int] = field(default_factory=dict)
    # Days with any of SPECIFIC_CLASSES taken (each day once).
    specific_days: int = 0

    @property
    def days(self) -> int:
        return max(0, (self.end - self.start).days + 1)

    def headache_days_per_period(self, kind: str) -> Fraction | None:
        """Headache days scaled to one period (28 days or the mean month); None for a window
        of no days."""
        if not self.days:
            return None
        return Fraction(self.headache_days) * period_length(kind) / self.days


@dataclass(frozen=True)
class CycleFigures:
    """Cycle `number` (1 from the first session): from its session to the day before the next
    (the last: to the day asked about); its response against the baseline."""

    number: int
    session_date: date
    figures: PeriodFigures
    response: Response


@dataclass(frozen=True)
class DiarySummary:
    """What the patient page, the review and the chart read: the last periods (oldest first),
    the baseline (None before any session), each cycle."""

    kind: str
    periods: list[PeriodFigures]
    baseline: PeriodFigures | None
    cycles: list[CycleFigures]

    @property
    def latest_cycle(self) -> CycleFigures | None:
        return self.cycles[-1] if self.cycles else None

    @property
    def has_entries(self) -> bool:
        rows = [*self.periods, *([self.baseline] if self.baseline else [])]
        return any(p.recorded_days for p in rows + [c.figures for c in self.cycles])


def window_figures(
    *, patient: Patient, rules: ClinicSettings, windows: Sequence[Window]
) -> list[PeriodFigures]:
    """The figures of each of `windows` (which must not overlap), in their order; one query
    (see `diary.window_counts`)."""
    windows = list(windows)
    if not windows or all(not w.days for w in windows):
        return [PeriodFigures(w.start, w.end, medicine_days=no_medicines()) for w in windows]
    tallies = window_tallies(patient_id=patient.pk, rules=rules, windows=windows)
    return [
        PeriodFigures(
            start=w.start,
            end=w.end,
            recorded_days=t.recorded,
            headache_days=t.headache,
            migraine_days=t.migraine,
            moderate_severe_days=t.strong,
            headache_hours=t.hours,
            medicine_days=t.medicines,
            specific_days=t.specific,
        )
        for w, t in zip(windows, tallies, strict=True)
    ]


def diary_periods(
    *, patient: Patient, rules: ClinicSettings, end: date, count: int
) -> list[PeriodFigures]:
    """The last `count` periods' figures up to `end` (see `periods.periods_ending`), oldest
    first; one query."""
    return window_figures(
        patient=patient, rules=rules, windows=periods_ending(rules.diary_period, end, count)
    )


def diary_summary(
    *,
    patient: Patient,
    course: Course | None,
    rules: ClinicSettings,
    end: date,
    count: int,
    sessions: Sequence[date] | None = None,
) -> DiarySummary:
    """The last `count` periods up to `end`, the baseline before the course's first session
    and each cycle's figures and response. Three queries whatever `count` and the cycles (two
    when the caller passes the session dates it has already read)."""
    from .figures import response_of

    kind = rules.diary_period
    if sessions is None:
        sessions = (
            list(course.sessions.order_by("session_date").values_list("session_date", flat=True))
            if course is not None
            else []
        )
    periods = diary_periods(patient=patient, rules=rules, end=end, count=count)
    if not sessions:
        return DiarySummary(kind=kind, periods=periods, baseline=None, cycles=[])
    windows = [baseline_window(kind, sessions[0]), *cycle_windows(sessions, end)]
    baseline, *cycles = window_figures(patient=patient, rules=rules, windows=windows)
    return DiarySummary(
        kind=kind,
        periods=periods,
        baseline=baseline,
        cycles=[
            CycleFigures(
                number=i + 1,
                session_date=day,
                figures=figures,
                response=response_of(baseline=baseline, cycle=figures, rules=rules),
            )
            for i, (day, figures) in enumerate(zip(sessions, cycles, strict=True))
        ],
    )
