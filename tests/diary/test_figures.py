"""The diary's flags and the response, judged from figures and the clinic's settings, at each
boundary: overuse 9/10 and 14/15 days, chronic migraine 14/15 and 7/8 days, the response at
29.9%, 30% and 50%, a zero baseline, the stop rule after 2 or 3 cycles, too few days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from botoxcare.models import ClinicSettings
from diary.figures import (
    chronic_migraine,
    diary_flags,
    medication_overuse,
    min_recorded_days,
    percent,
    response_of,
    stop_rule,
    too_few_recorded,
)
from diary.reasons import Flag
from diary.selectors import CycleFigures, DiarySummary, PeriodFigures

FIRST = date(2026, 1, 5)


def period(start: date, days: int = 28, **figures) -> PeriodFigures:
    figures.setdefault("recorded_days", days)
    medicines = figures.pop("medicine_days", {})
    return PeriodFigures(
        start=start,
        end=start + timedelta(days=days - 1),
        medicine_days={"triptan": 0, "simple": 0, **medicines},
        **figures,
    )


def run(count: int = 3, start: date = FIRST, **figures) -> list[PeriodFigures]:
    return [period(start + timedelta(days=28 * i), **figures) for i in range(count)]


@pytest.fixture
def rules() -> ClinicSettings:
    return ClinicSettings()  # the defaults: 10/15 overuse days, 3 periods, 30% after 2 cycles


@pytest.mark.parametrize(("days", "met"), [(9, False), (10, True)])
def test_overuse_of_triptans(rules, days, met):
    periods = run(specific_days=days, medicine_days={"triptan": days})
    finding = medication_overuse(periods, rules)
    assert finding.code == Flag.MEDICATION_OVERUSE
    assert finding.met is met
    assert f"{days} triptan/ergot/opioid/combination" in finding.why


def test_overuse_of_a_triptan_and_combination_mix_counts_days_either_was_taken(rules):
    # 6 triptan days and 4 other combination-analgesic days: 10 days, neither class alone 10.
    periods = run(specific_days=10, medicine_days={"triptan": 6, "combination": 4})
    assert medication_overuse(periods, rules).met


@pytest.mark.parametrize(("days", "met"), [(14, False), (15, True)])
def test_overuse_of_simple_analgesics(rules, days, met):
    assert medication_overuse(run(medicine_days={"simple": days}), rules).met is met


def test_overuse_must_last_the_pattern_periods(rules):
    periods = run(specific_days=12)
    assert medication_overuse(periods, rules).met
    assert not medication_overuse(periods[:2], rules).met  # two periods of three
    broken = [period(FIRST, specific_days=3), *run(2, FIRST + timedelta(28), specific_days=12)]
    assert not medication_overuse(broken, rules).met
    rules.pattern_months = 2
    assert medication_overuse(broken, rules).met


@pytest.mark.parametrize(
    ("headache", "migraine", "met"), [(14, 8, False), (15, 8, True), (15, 7, False), (20, 8, True)]
)
def test_chronic_migraine_criteria(rules, headache, migraine, met):
    finding = chronic_migraine(run(headache_days=headache, migraine_days=migraine), rules)
    assert finding.met is met
    assert f"{headache} headache and {migraine} migraine days" in finding.why
    assert len(finding.periods) == 3


def test_chronic_migraine_needs_every_period(rules):
    periods = run(headache_days=20, migraine_days=10)
    periods[1] = period(periods[1].start, headache_days=14, migraine_days=10)
    assert not chronic_migraine(periods, rules).met


@pytest.mark.parametrize(
    ("days", "recorded", "too_few"),
    [(28, 19, True), (28, 20, False), (31, 22, True), (31, 23, False), (28, 20, False)],
)
def test_too_few_recorded_scaled_to_the_period(rules, days, recorded, too_few):
    p = period(FIRST, days=days, recorded_days=recorded)
    assert min_recorded_days(p, rules) == (20 if days == 28 else 23)
    finding = too_few_recorded(p, rules)
    assert finding.met is too_few
    assert f"{recorded} of {days} days recorded" in finding.why


def test_response_boundaries(rules):
    baseline = period(FIRST - timedelta(28), headache_days=20)
    cycle_start = FIRST

    def reduction(headache_days: int, days: int):
        cycle = period(cycle_start, days=days, headache_days=headache_days)
        return response_of(baseline=baseline, cycle=cycle, rules=rules)

    just_under = reduction(1402, 2800)  # 14.02 a period: 29.9%
    assert percent(just_under.reduction_percent) == "29.9"
    assert not just_under.reaches_responder
    exactly = reduction(14, 28)
    assert exactly.reduction_percent == 30 and exactly.reaches_responder
    assert not exactly.reaches_strong
    assert percent(exactly.change_percent) == "-30"
    half = reduction(10, 28)
    assert half.reaches_responder and half.reaches_strong
    assert reduction(42, 84).reduction_percent == 30  # normalised to 28 days


def test_zero_baseline_response_is_undefined(rules):
    baseline = period(FIRST - timedelta(28), headache_days=0)
    response = response_of(baseline=baseline, cycle=period(FIRST, headache_days=4), rules=rules)
    assert response.reduction_percent is None
    assert not response.reaches_responder and not response.reaches_strong
    assert percent(response.change_percent) == "undefined"


def summary(rules, reductions: list[int], periods=None) -> DiarySummary:
    """Cycles of 12 weeks from FIRST, each with headache days reduced by the percent given
    against a baseline of 20."""
    baseline = period(FIRST - timedelta(28), headache_days=20)
    cycles = []
    for i, r in enumerate(reductions):
        figures = period(FIRST + timedelta(weeks=12 * i), headache_days=20 * (100 - r) // 100)
        cycles.append(
            CycleFigures(
                number=i + 1,
                session_date=figures.start,
                figures=figures,
                response=response_of(baseline=baseline, cycle=figures, rules=rules),
            )
        )
    return DiarySummary(kind="28_days", periods=periods or [], baseline=baseline, cycles=cycles)


def test_stop_rule_after_two_cycles_below_thirty_percent(rules):
    finding = stop_rule(summary(rules, [20, 25]), rules)
    assert finding.code == Flag.STOP_RULE
    assert finding.met
    assert finding.why.startswith("Cycle 2: headache days changed by -25% against the baseline")
    assert not stop_rule(summary(rules, [20, 30]), rules).met  # 30% is enough
    assert not stop_rule(summary(rules, [25]), rules).met  # one cycle: not judged yet


def test_stop_rule_after_three_cycles_when_the_clinic_says_three(rules):
    rules.stop_after_cycles = 3
    assert not stop_rule(summary(rules, [20, 25]), rules).met
    assert "2 of 3 cycles" in stop_rule(summary(rules, [20, 25]), rules).why
    assert stop_rule(summary(rules, [20, 25, 25]), rules).met


def test_stop_rule_not_judged_on_a_zero_baseline(rules):
    s = summary(rules, [0, 0])
    s = DiarySummary(
        kind=s.kind,
        periods=[],
        baseline=period(FIRST - timedelta(28), headache_days=0),
        cycles=[
            CycleFigures(
                c.number,
                c.session_date,
                c.figures,
                response_of(
                    baseline=period(FIRST - timedelta(28), headache_days=0),
                    cycle=c.figures,
                    rules=rules,
                ),
            )
            for c in s.cycles
        ],
    )
    finding = stop_rule(s, rules)
    assert not finding.met
    assert "undefined" in finding.why


@pytest.mark.parametrize(("headache_days", "met"), [(14, True), (15, False)])
def test_stop_rule_when_episodic_for_three_periods(rules, headache_days, met):
    periods = run(3, FIRST + timedelta(days=7), headache_days=headache_days)
    finding = stop_rule(summary(rules, [50, 50], periods=periods), rules)
    assert finding.met is met  # the response alone (50%) would not stop


def test_stop_rule_episodic_needs_periods_after_the_first_session_with_days_recorded(rules):
    before = run(3, FIRST - timedelta(days=7), headache_days=5)
    assert not stop_rule(summary(rules, [50, 50], periods=before), rules).met
    sparse = run(3, FIRST + timedelta(days=7), headache_days=5, recorded_days=10)
    assert not stop_rule(summary(rules, [50, 50], periods=sparse), rules).met


def test_diary_flags_in_order(rules):
    flags = diary_flags(summary(rules, [50], periods=run(headache_days=20)), rules)
    assert [f.code for f in flags] == [
        Flag.TOO_FEW_RECORDED,
        Flag.MEDICATION_OVERUSE,
        Flag.CHRONIC_MIGRAINE,
        Flag.STOP_RULE,
    ]
    assert [f.met for f in flags] == [False, False, False, False]


def test_stop_rule_not_judged_on_a_cycle_with_too_few_days_recorded(rules):
    s = summary(rules, [20, 25])
    latest = s.cycles[-1]
    short = period(latest.session_date, days=28, recorded_days=19, headache_days=15)
    cycles = [
        *s.cycles[:-1],
        CycleFigures(
            latest.number,
            latest.session_date,
            short,
            response_of(baseline=s.baseline, cycle=short, rules=rules),
        ),
    ]
    finding = stop_rule(DiarySummary(s.kind, [], s.baseline, cycles), rules)
    assert not finding.met
    assert "not judged on cycle 2: 19 of 28 days recorded" in finding.why
