"""The diary's figures as counted in the database: the definitions of a headache and a
migraine day, medicine days, periods across month ends and the October clock change, the
baseline and cycles, and a query count that does not grow with periods or cycles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from diary.models import MedicineClass
from diary.periods import Window, baseline_window, periods_ending
from diary.selectors import diary_periods, diary_summary, window_figures
from tests.diary.factories import entry, fill, medicine

pytestmark = pytest.mark.django_db

END = date(2026, 11, 30)
LAST = Window(END - timedelta(days=27), END)


@pytest.fixture
def rules(clinic):
    return clinic.settings


def one(patient, rules, window=LAST):
    return window_figures(patient=patient, rules=rules, windows=[window])[0]


@pytest.mark.parametrize("count", [14, 15])
def test_headache_days_counted(patient, rules, count):
    fill(patient, LAST.start, count, hours=5)
    fill(patient, LAST.start + timedelta(days=count), 28 - count, headache=False)
    figures = one(patient, rules)
    assert (figures.headache_days, figures.recorded_days) == (count, 28)


def test_headache_day_needs_the_hours_unless_none_recorded(patient, rules):
    rules.headache_day_min_hours = 4
    entry(patient, LAST.start, hours="3.9")
    entry(patient, LAST.start + timedelta(days=1), hours=4)
    entry(patient, LAST.start + timedelta(days=2), hours=None)
    figures = one(patient, rules)
    assert figures.headache_days == 2
    assert figures.headache_hours == Decimal("7.9")  # every headache's hours, a headache day or not
    rules.headache_day_min_hours = 0
    assert one(patient, rules).headache_days == 3


def test_migraine_day_definition(patient, rules):
    rules.migraine_day_min_features = 2
    triptan = medicine(patient, MedicineClass.TRIPTAN)
    ergot = medicine(patient, MedicineClass.ERGOT)
    simple = medicine(patient, MedicineClass.SIMPLE)
    d = iter(range(28))

    def day():
        return LAST.start + timedelta(days=next(d))

    # migraine days
    entry(patient, day(), throbbing=True, one_sided=True, nausea=True)
    entry(patient, day(), throbbing=True, severity="moderate", light_sound_sensitivity=True)
    entry(patient, day(), aura=True)
    entry(patient, day(), medicines=[triptan])
    entry(patient, day(), medicines=[ergot])
    # not
    entry(patient, day(), throbbing=True, one_sided=True)  # no nausea, no sensitivity
    entry(patient, day(), throbbing=True, nausea=True, severity="mild")  # one feature
    entry(patient, day(), medicines=[simple])
    entry(patient, day(), hours=2, aura=True)  # not a headache day (under 4 hours)
    figures = one(patient, rules)
    assert (figures.headache_days, figures.migraine_days) == (8, 5)
    rules.migraine_day_min_features = 1
    assert one(patient, rules).migraine_days == 6  # throbbing + nausea now counts


@pytest.mark.parametrize("count", [7, 8])
def test_migraine_days_counted(patient, rules, count):
    fill(
        patient,
        LAST.start,
        count,
        hours=6,
        worse_with_activity=True,
        severity="severe",
        nausea=True,
    )
    fill(patient, LAST.start + timedelta(days=count), 8, hours=6, severity="severe")
    figures = one(patient, rules)
    assert (figures.headache_days, figures.migraine_days) == (count + 8, count)


def test_moderate_severe_days_and_medicine_days_by_class(patient, rules):
    triptan = medicine(patient, MedicineClass.TRIPTAN)
    combination = medicine(patient, MedicineClass.COMBINATION)
    simple = medicine(patient, MedicineClass.SIMPLE)
    fill(patient, LAST.start, 4, severity="moderate", medicines=[triptan, combination])
    fill(patient, LAST.start + timedelta(days=4), 6, severity="severe", medicines=[combination])
    fill(patient, LAST.start + timedelta(days=10), 3, severity="mild", medicines=[simple])
    figures = one(patient, rules)
    assert figures.moderate_severe_days == 10
    assert figures.medicine_days[MedicineClass.TRIPTAN] == 4
    assert figures.medicine_days[MedicineClass.COMBINATION] == 10
    assert figures.medicine_days[MedicineClass.SIMPLE] == 3
    assert figures.medicine_days[MedicineClass.OPIOID] == 0
    assert figures.specific_days == 10  # a day with both is one day


def test_28_day_periods_count_back_from_the_end_day():
    windows = periods_ending("28_days", END, 3)
    assert [w.days for w in windows] == [28, 28, 28]
    assert windows[-1].end == END
    assert windows[0].end + timedelta(days=1) == windows[1].start


def test_month_periods_are_the_complete_calendar_months(patient, rules):
    assert [(w.start, w.end) for w in periods_ending("month", date(2026, 3, 15), 2)] == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 28)),
    ]
    assert periods_ending("month", date(2026, 3, 31), 1)[0].start == date(2026, 3, 1)
    rules.diary_period = "month"
    entry(patient, date(2026, 1, 31))
    entry(patient, date(2026, 2, 1))
    entry(patient, date(2026, 2, 28))
    entry(patient, date(2026, 3, 1))
    jan, feb = diary_periods(patient=patient, rules=rules, end=date(2026, 3, 15), count=2)
    assert (jan.headache_days, feb.headache_days) == (1, 2)
    assert (jan.days, feb.days) == (31, 28)


def test_periods_across_the_october_clock_change(patient, rules):
    # Europe/London leaves summer time at 01:00 UTC on 25 October 2026.
    for moment in (
        datetime(2026, 10, 24, 23, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 23, 30, tzinfo=UTC),
    ):
        with time_machine.travel(moment, tick=False):
            assert timezone.localdate() == date(2026, 10, 25)
    fill(patient, date(2026, 10, 11), 28)  # 11 Oct to 7 Nov, across the change
    with time_machine.travel(datetime(2026, 10, 24, 23, 30, tzinfo=UTC), tick=False):
        last = diary_periods(patient=patient, rules=rules, end=timezone.localdate(), count=1)[0]
    assert (last.start, last.end) == (date(2026, 9, 28), date(2026, 10, 25))
    assert last.headache_days == 15  # 11 to 25 October
    spanning = one(patient, rules, Window(date(2026, 10, 11), date(2026, 11, 7)))
    assert (spanning.days, spanning.headache_days) == (28, 28)


def test_baseline_is_the_period_before_the_first_session():
    assert baseline_window("28_days", date(2026, 3, 15)) == Window(
        date(2026, 2, 15), date(2026, 3, 14)
    )
    assert baseline_window("month", date(2026, 3, 31)) == Window(
        date(2026, 2, 28), date(2026, 3, 30)
    )


@pytest.mark.parametrize(("cycle_days", "reduction"), [(14, 30), (10, 50), (15, 25)])
def test_response_against_the_baseline(patient, rules, cycle_days, reduction):
    session = date(2026, 6, 1)
    fill(patient, session - timedelta(days=28), 20)
    fill(patient, session, cycle_days)
    summary = diary_summary(
        patient=patient,
        course=None,
        rules=rules,
        end=session + timedelta(days=27),
        count=1,
        sessions=[session],
    )
    assert summary.baseline.headache_days == 20
    (cycle,) = summary.cycles
    assert cycle.response.reduction_percent == reduction
    assert cycle.response.reaches_responder is (reduction >= 30)
    assert cycle.response.reaches_strong is (reduction >= 50)


def test_response_is_normalised_to_the_period_length(patient, rules):
    first, second = date(2026, 6, 1), date(2026, 8, 24)  # a 12-week cycle
    fill(patient, first - timedelta(days=28), 20)
    fill(patient, first, 42)
    summary = diary_summary(
        patient=patient,
        course=None,
        rules=rules,
        end=date(2026, 9, 1),
        count=1,
        sessions=[first, second],
    )
    one_, two = summary.cycles
    assert (one_.figures.days, one_.figures.headache_days) == (84, 42)
    assert one_.response.reduction_percent == 30  # 14 a period against 20
    assert two.figures.headache_days == 0


def test_zero_baseline_leaves_the_response_undefined(patient, rules):
    session = date(2026, 6, 1)
    fill(patient, session - timedelta(days=28), 28, headache=False)
    fill(patient, session, 5)
    summary = diary_summary(
        patient=patient,
        course=None,
        rules=rules,
        end=session + timedelta(days=27),
        count=1,
        sessions=[session],
    )
    response = summary.cycles[0].response
    assert response.baseline_rate == 0
    assert response.reduction_percent is None
    assert not response.defined
    assert not response.reaches_responder


@pytest.mark.parametrize("count", [1, 3, 26])
def test_periods_in_one_query(patient, rules, count, django_assert_num_queries):
    fill(patient, END - timedelta(days=399), 400, medicines=[medicine(patient, "triptan")])
    with django_assert_num_queries(1):
        periods = diary_periods(patient=patient, rules=rules, end=END, count=count)
    assert len(periods) == count
    assert all(p.headache_days == 28 for p in periods[-min(count, 14) :])


def test_summary_queries_do_not_grow_with_cycles(
    patient, rules, course, clinician, nurse, lot, consent_form, django_assert_num_queries
):
    from tests.journey import advance
    from treatments import services
    from treatments.models import State

    start = date(2026, 1, 5)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    fill(patient, start - timedelta(days=60), 300)
    counts = []
    for cycle in range(1, 4):
        day = start + timedelta(weeks=10 * cycle)
        with django_assert_num_queries(3) as captured:
            summary = diary_summary(
                patient=patient, course=course, rules=rules, end=day, count=6 * cycle
            )
        counts.append(len(captured))
        assert len(summary.cycles) == cycle
        services.retreatment_start(
            course=course,
            by=clinician,
            reviewed_on=day,
            notes="ok",
            now=timezone.make_aware(datetime.combine(day, datetime.min.time())),
        )
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=day)
    assert summary.baseline.headache_days == 28


@pytest.mark.parametrize(("combination_days", "overuse"), [(3, False), (4, True)])
def test_triptan_and_combination_mix_reaching_ten_days(patient, rules, combination_days, overuse):
    from diary.figures import medication_overuse

    triptan = medicine(patient, MedicineClass.TRIPTAN)
    combination = medicine(patient, MedicineClass.COMBINATION)
    for w in periods_ending("28_days", END, 3):
        fill(patient, w.start, 4, medicines=[triptan])
        fill(patient, w.start + timedelta(days=4), 2, medicines=[triptan, combination])
        fill(patient, w.start + timedelta(days=6), combination_days, medicines=[combination])
    periods = diary_periods(patient=patient, rules=rules, end=END, count=3)
    last = periods[-1]
    assert last.medicine_days[MedicineClass.TRIPTAN] == 6
    assert last.medicine_days[MedicineClass.COMBINATION] == combination_days + 2
    assert last.specific_days == 6 + combination_days
    assert medication_overuse(periods, rules).met is overuse


def test_month_summary_baseline_and_cycle_normalised_to_the_mean_month(patient, rules):
    rules.diary_period = "month"
    session = date(2026, 3, 15)
    fill(patient, date(2026, 2, 15), 28, hours=5)  # every baseline day: 15 Feb to 14 Mar
    fill(patient, session, 14, hours=5)
    summary = diary_summary(
        patient=patient,
        course=None,
        rules=rules,
        end=date(2026, 4, 11),
        count=2,
        sessions=[session],
    )
    assert (summary.baseline.start, summary.baseline.end) == (date(2026, 2, 15), date(2026, 3, 14))
    (cycle,) = summary.cycles
    assert cycle.figures.days == 28 and cycle.figures.headache_days == 14
    assert cycle.response.reduction_percent == 50
    assert [p.start for p in summary.periods] == [date(2026, 2, 1), date(2026, 3, 1)]
    assert float(summary.baseline.headache_days_per_period("month")) == pytest.approx(30.44, 0.01)
