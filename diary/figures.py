"""Judgements of the diary's figures, pure functions of `selectors`' rows and the clinic's
settings: the response of a cycle, medication overuse (ICHD-3), too few days recorded, the
chronic migraine criteria (ICHD-3) and the stop rule (NICE TA260). Each returns a value that
carries the figures behind it, so that a page can say why, not only what.

Choices:
- A pattern "over `pattern_months` periods" is met when each of the last that many periods
  meets it; fewer periods than that is not met.
- Too few days recorded: fewer than `diary_min_recorded_days` of 28, scaled to the period's
  length and rounded up (20 of 28 is 23 of a 31-day month, 20 of February), so the same share
  of days is asked in either kind of period.
- The stop rule's episodic part counts only periods after the first session with enough days
  recorded: a half-kept diary shows few headache days without the migraine being episodic.
  Likewise the response part is not judged on a cycle with too few days recorded (so not on
  the first days after a session).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from .periods import PERIOD_DAYS
from .reasons import FLAG_LABELS, Flag

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .selectors import CycleFigures, DiarySummary, PeriodFigures

# The usual second mark of a response (the first is the stop rule's reduction).
STRONG_RESPONSE_PERCENT = 50


@dataclass(frozen=True)
class Response:
    """Headache days per period in a cycle against the baseline. `reduction_percent` is
    positive for fewer headache days; None (undefined, not an error) when the baseline had
    none or either window has no days."""

    baseline_rate: Fraction | None
    cycle_rate: Fraction | None
    reduction_percent: Fraction | None
    responder_percent: int

    @property
    def defined(self) -> bool:
        return self.reduction_percent is not None

    @property
    def change_percent(self) -> Fraction | None:
        """The change as signed percent (-30 is a 30% reduction)."""
        return None if self.reduction_percent is None else -self.reduction_percent

    @property
    def reaches_responder(self) -> bool:
        """At least the stop rule's reduction (30% by default)."""
        return self.defined and self.reduction_percent >= self.responder_percent  # type: ignore[operator]

    @property
    def reaches_strong(self) -> bool:
        return self.defined and self.reduction_percent >= STRONG_RESPONSE_PERCENT  # type: ignore[operator]


def response_of(
    *, baseline: PeriodFigures, cycle: PeriodFigures, rules: ClinicSettings
) -> Response:
    kind = rules.diary_period
    base, now = baseline.headache_days_per_period(kind), cycle.headache_days_per_period(kind)
    reduction = None
    if base and now is not None:
        reduction = (base - now) * 100 / base
    return Response(base, now, reduction, rules.stop_min_reduction_percent)


def per_period_text(cycle: CycleFigures, kind: str) -> str | None:
    """A cycle's headache days a period for a sentence, one decimal; None when the cycle has
    no days to count."""
    rate = cycle.figures.headache_days_per_period(kind)
    return None if rate is None else f"{float(rate):.1f}"


def percent(value: Fraction | None) -> str:
    """A percent for a sentence, one decimal: 29.9, 30, -12.5; "undefined" for None."""
    if value is None:
        return "undefined"
    text = f"{float(value):.1f}".removesuffix(".0")
    return text


@dataclass(frozen=True)
class Finding:
    """One flag, met or not, with the sentence saying why and the figures behind it."""

    code: Flag
    met: bool
    why: str
    periods: tuple[PeriodFigures, ...] = ()

    @property
    def label(self) -> str:
        return FLAG_LABELS[self.code]


def _span(p: PeriodFigures) -> str:
    return f"{p.start:%d %b} to {p.end:%d %b %Y}"


def min_recorded_days(period: PeriodFigures, rules: ClinicSettings) -> int:
    return -(-rules.diary_min_recorded_days * period.days // PERIOD_DAYS)


def too_few_recorded(period: PeriodFigures, rules: ClinicSettings) -> Finding:
    need = min_recorded_days(period, rules)
    return Finding(
        Flag.TOO_FEW_RECORDED,
        period.recorded_days < need,
        f"{period.recorded_days} of {period.days} days recorded in {_span(period)} "
        f"(at least {need} needed to judge).",
        (period,),
    )


def _last(periods: Sequence[PeriodFigures], count: int) -> tuple[PeriodFigures, ...]:
    return tuple(periods[-count:]) if len(periods) >= count else ()


def medication_overuse(periods: Sequence[PeriodFigures], rules: ClinicSettings) -> Finding:
    """ICHD-3: in each of the last `pattern_months` periods, triptans, ergots, opioids or
    combination analgesics (any of them, each day once) on ≥ `overuse_specific_days` days, or
    simple analgesics on ≥ `overuse_simple_days` days."""
    last = _last(periods, rules.pattern_months)
    specific = bool(last) and all(p.specific_days >= rules.overuse_specific_days for p in last)
    simple = bool(last) and all(
        p.medicine_days.get("simple", 0) >= rules.overuse_simple_days for p in last
    )
    shown = last or tuple(periods)
    days = ", ".join(
        f"{p.specific_days} triptan/ergot/opioid/combination and "
        f"{p.medicine_days.get('simple', 0)} simple-analgesic days in {_span(p)}"
        for p in shown
    )
    return Finding(
        Flag.MEDICATION_OVERUSE,
        specific or simple,
        f"Limits: {rules.overuse_specific_days} days (triptans, ergots, opioids, combination "
        f"analgesics) or {rules.overuse_simple_days} days (simple analgesics) in each of "
        f"{rules.pattern_months} periods. {days or 'No periods recorded'}.",
        shown,
    )


def chronic_migraine(periods: Sequence[PeriodFigures], rules: ClinicSettings) -> Finding:
    """ICHD-3: ≥ `chronic_headache_days` headache days, ≥ `chronic_migraine_days` of them
    migraine days, in each of the last `pattern_months` periods."""
    last = _last(periods, rules.pattern_months)
    met = bool(last) and all(
        p.headache_days >= rules.chronic_headache_days
        and p.migraine_days >= rules.chronic_migraine_days
        for p in last
    )
    shown = last or tuple(periods)
    days = ", ".join(
        f"{p.headache_days} headache and {p.migraine_days} migraine days in {_span(p)}"
        for p in shown
    )
    return Finding(
        Flag.CHRONIC_MIGRAINE,
        met,
        f"Criteria: {rules.chronic_headache_days} headache days, {rules.chronic_migraine_days} "
        f"migraine days, in each of {rules.pattern_months} periods. "
        f"{days or 'No periods recorded'}.",
        shown,
    )


def stop_rule(summary: DiarySummary, rules: ClinicSettings) -> Finding:
    """NICE TA260: after `stop_after_cycles` cycles, the latest cycle's headache days fell by
    less than `stop_min_reduction_percent`; or fewer than `stop_episodic_days` headache days
    in each of the last `stop_episodic_months` periods since the first session."""
    cycles, reasons = summary.cycles, []
    latest = summary.latest_cycle
    poor = False
    if latest is not None and len(cycles) >= rules.stop_after_cycles:
        r = latest.response
        sparse = too_few_recorded(latest.figures, rules)
        poor = r.defined and not r.reaches_responder and not sparse.met
        reasons.append(
            f"cycle {latest.number}: headache days changed by {percent(r.change_percent)}% "
            f"against the baseline (stop below a {rules.stop_min_reduction_percent}% reduction)"
        )
        if sparse.met:
            reasons.append(f"not judged on cycle {latest.number}: {sparse.why[:-1]}")
    else:
        reasons.append(
            f"{len(cycles)} of {rules.stop_after_cycles} cycles before the response is judged"
        )
    run = _last(summary.periods, rules.stop_episodic_months)
    run = run if latest is not None and run[:1] and run[0].start >= cycles[0].session_date else ()
    episodic = bool(run) and all(
        p.headache_days < rules.stop_episodic_days and not too_few_recorded(p, rules).met
        for p in run
    )
    if episodic:
        reasons.append(
            f"fewer than {rules.stop_episodic_days} headache days in each of the last "
            f"{rules.stop_episodic_months} periods ("
            + ", ".join(str(p.headache_days) for p in run)
            + ")"
        )
    return Finding(
        Flag.STOP_RULE,
        poor or episodic,
        _sentence("; ".join(reasons)),
        run,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def flag_periods(rules: ClinicSettings) -> int:
    """How many of the last periods the flags read: the longest of the patterns they judge."""
    return max(rules.pattern_months, rules.stop_episodic_months)


def diary_flags(summary: DiarySummary, rules: ClinicSettings) -> list[Finding]:
    """The flags of the patient page, in the order shown."""
    flags = [
        medication_overuse(summary.periods, rules),
        chronic_migraine(summary.periods, rules),
        stop_rule(summary, rules),
    ]
    if summary.periods:
        flags.insert(0, too_few_recorded(summary.periods[-1], rules))
    return flags
