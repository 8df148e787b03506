"""The figures of `window_figures` against an independent count: a varied random diary (every
kind of day, hours at the headache-day boundary and missing, one to three medicines of any
class, two triptans on one day, medicines on days without headache), another patient's
entries on the same days, windows in any order with gaps between them, and the clinic's two
definitions of a day at random; counted here in Python from the rows, by the definitions in
`diary.selectors`' docstring."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from diary.models import SPECIFIC_CLASSES, DiaryEntry, MedicineClass
from diary.periods import Window
from diary.selectors import PeriodFigures, diary_summary, window_figures
from tests.diary.factories import entry, medicine
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

START = date(2026, 1, 20)
DAYS = 150
HOURS = [None, None, "0.5", "3.9", "4", "4.1", "6", "12.5", "24"]


def diary(patient, rng: random.Random) -> None:
    """About 120 days of a varied diary for `patient`."""
    medicines = [
        medicine(patient, MedicineClass.TRIPTAN, "Sumatriptan"),
        medicine(patient, MedicineClass.TRIPTAN, "Rizatriptan"),
        *(medicine(patient, c) for c in MedicineClass.values if c != MedicineClass.TRIPTAN),
    ]
    for i in range(DAYS):
        if rng.random() < 0.2:
            continue  # not recorded
        flags = {
            name: rng.random() < 0.45
            for name in (
                "throbbing",
                "one_sided",
                "worse_with_activity",
                "nausea",
                "light_sound_sensitivity",
            )
        }
        flags["aura"] = rng.random() < 0.1
        taken = rng.sample(medicines, rng.choice([0, 0, 0, 1, 1, 2, 3]))
        if rng.random() < 0.35:  # no headache: no details, the features and medicines stay
            entry(patient, START + timedelta(days=i), headache=False, medicines=taken, **flags)
            continue
        entry(
            patient,
            START + timedelta(days=i),
            hours=rng.choice(HOURS),
            severity=rng.choice(["", "mild", "moderate", "severe"]),
            medicines=taken,
            **flags,
        )


def windows(rng: random.Random) -> list[Window]:
    """Up to seven windows that do not overlap, with gaps, in random order; some reach past
    the diary, one may be of no days."""
    cuts = sorted(rng.sample(range(-10, DAYS + 10), 14))
    chosen = []
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        if rng.random() < 0.8:
            chosen.append(Window(START + timedelta(days=a), START + timedelta(days=b)))
    if rng.random() < 0.3:
        day = START + timedelta(days=rng.randrange(DAYS))
        chosen.append(Window(day, day - timedelta(days=1)))  # no days
    rng.shuffle(chosen)
    return chosen or [Window(START, START + timedelta(days=DAYS))]


def counted(patient, rules, window: Window) -> PeriodFigures:
    """The figures counted one entry at a time."""
    min_hours = Decimal(rules.headache_day_min_hours)
    figures = {
        "recorded_days": 0,
        "headache_days": 0,
        "migraine_days": 0,
        "moderate_severe_days": 0,
        "headache_hours": Decimal(0),
        "specific_days": 0,
    }
    by_class = dict.fromkeys(MedicineClass.values, 0)
    rows = DiaryEntry.objects.filter(
        patient=patient, day__gte=window.start, day__lte=window.end
    ).prefetch_related("medicines__medicine")
    for e in rows:
        classes = {m.medicine.medicine_class for m in e.medicines.all()}
        strong = e.severity in ("moderate", "severe")
        headache_day = e.headache and (e.duration_hours is None or e.duration_hours >= min_hours)
        features = e.throbbing + e.one_sided + e.worse_with_activity + strong
        migraine = (
            (
                features >= rules.migraine_day_min_features
                and (e.nausea or e.light_sound_sensitivity)
            )
            or e.aura
            or bool(classes & {MedicineClass.TRIPTAN, MedicineClass.ERGOT})
        )
        figures["recorded_days"] += 1
        figures["headache_days"] += headache_day
        figures["migraine_days"] += headache_day and migraine
        figures["moderate_severe_days"] += headache_day and strong
        if e.headache and e.duration_hours is not None:
            figures["headache_hours"] += e.duration_hours
        figures["specific_days"] += bool(classes & set(SPECIFIC_CLASSES))
        for c in classes:
            by_class[c] += 1
    return PeriodFigures(window.start, window.end, medicine_days=by_class, **figures)


@pytest.mark.parametrize("seed", range(6))
def test_window_figures_equal_an_entry_by_entry_count(clinic, patient, seed):
    rng = random.Random(seed)
    rules = clinic.settings
    diary(patient, rng)
    other = PatientFactory(clinic=clinic, responsible_clinician=patient.responsible_clinician)
    diary(other, rng)  # the same days, another patient's
    for _ in range(4):
        rules.headache_day_min_hours = rng.randint(0, 6)
        rules.migraine_day_min_features = rng.randint(1, 4)
        asked = windows(rng)
        figures = window_figures(patient=patient, rules=rules, windows=asked)
        assert figures == [counted(patient, rules, w) for w in asked]
        assert sum(f.recorded_days for f in figures) > 0 or not any(w.days for w in asked)


def test_summary_figures_equal_an_entry_by_entry_count(clinic, patient):
    rng = random.Random(10)
    rules = clinic.settings
    diary(patient, rng)
    sessions = [START + timedelta(days=40), START + timedelta(days=96)]
    end = START + timedelta(days=DAYS - 1)
    summary = diary_summary(
        patient=patient, course=None, rules=rules, end=end, count=5, sessions=sessions
    )
    assert summary.baseline == counted(patient, rules, summary.baseline)
    assert [c.figures for c in summary.cycles] == [
        counted(patient, rules, Window(sessions[0], sessions[1] - timedelta(days=1))),
        counted(patient, rules, Window(sessions[1], end)),
    ]
    assert summary.periods == [counted(patient, rules, p) for p in summary.periods]
