"""The stored diary standing: the patient page's flags, kept per patient; refreshed after a
diary write commits and by the nightly sweep, which goes on past a patient's failure and
changes nothing when run twice."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from bench import diary as diary_bench
from bench.run import CLINIC_SLUG
from diary.models import DiaryStanding, MedicineClass
from diary.reasons import Flag
from diary.services import DayRecord, diary_entry_record, standing
from diary.services.standing import (
    diary_standing_refresh,
    diary_standings_refresh,
    diary_standings_sweep,
    standing_candidates,
)
from pages.staff.diary_card import diary_card
from patients.models import Patient
from tests.factories import PatientFactory
from tests.journey import advance
from tests.journeys.test_walk import a_clinic, seed_rows
from treatments.models import Course, InjectionSession, State
from treatments.walk import clinic_histories

from ..factories import entry, fill, medicine
from .writers import patient_with_login

pytestmark = pytest.mark.django_db


def test_each_standing_holds_the_flags_and_figures_of_the_patient_page():
    team = a_clinic(CLINIC_SLUG)
    clinic, today = team["clinic"], timezone.localdate()
    seed_rows(list(clinic_histories(random.Random(3), 40, today, clinicians=2)), team)
    diary_bench.seed_diary()
    patients = list(Patient.objects.filter(clinic=clinic))
    assert diary_standings_refresh([p.pk for p in patients]) == len(patients)
    seen: set[str] = set()
    for patient in patients:
        course = Course.objects.filter(patient=patient).order_by("-started_on", "-id").first()
        card = diary_card(patient, course, rules=clinic.settings, today=today)
        met = {f.code.value: f.why for f in card.flags if f.met}
        kept = DiaryStanding.objects.get(patient=patient)
        assert kept.why == met, patient.pk
        assert {f.value for f in Flag if getattr(kept, f.value)} == set(met)
        assert kept.flagged == bool(met)
        latest = card.summary.periods[-1]
        assert (kept.period_start, kept.period_end) == (latest.start, latest.end)
        assert (kept.headache_days, kept.migraine_days, kept.recorded_days) == (
            latest.headache_days,
            latest.migraine_days,
            latest.recorded_days,
        )
        assert kept.cycles == len(card.cycles)
        assert kept.as_of == today and kept.active == (course.state != State.DISCONTINUED)
        seen |= set(met)
    # The seed raises these among 40 patients, so the comparison above is not of empty sets.
    assert {Flag.MEDICATION_OVERUSE.value, Flag.TOO_FEW_RECORDED.value} <= seen


def test_the_latest_cycles_change_is_kept_to_a_tenth(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    today = timezone.localdate()
    advance(
        course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot,
        start=today - timedelta(days=40),
    )  # fmt: skip
    first = InjectionSession.objects.get(course=course).session_date
    # Baseline, the 28 days before the session: 21 headache days. Since: 9 headache days.
    fill(patient, first - timedelta(days=28), 21, hours=5)
    fill(patient, first - timedelta(days=7), 7, headache=False)
    fill(patient, first, 9, hours=5)
    kept = diary_standing_refresh(patient_id=patient.pk, today=today)
    assert kept is not None and kept.cycles == 1
    cycle_days = (today - first).days + 1
    exact = (Decimal(9) * 28 / cycle_days - 21) * 100 / 21
    assert kept.change_percent == exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert kept.change_percent is not None and kept.change_percent < 0


def test_a_diary_write_refreshes_the_standing_once_committed(
    clinic, django_capture_on_commit_callbacks
):
    me = patient_with_login(clinic)
    Course.objects.create(patient=me, started_on=timezone.localdate() - timedelta(days=60))
    triptan = medicine(me, MedicineClass.TRIPTAN)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        diary_entry_record(
            patient=me,
            by=me.user,
            day=timezone.localdate(),
            record=DayRecord(headache=True, medicines={triptan.pk: 1}),
        )
    assert not DiaryStanding.objects.filter(patient=me).exists()  # not before the commit
    for callback in callbacks:
        callback()
    kept = DiaryStanding.objects.get(patient=me)
    assert kept.recorded_days == kept.headache_days == 1
    assert kept.too_few_recorded and kept.flagged  # one day of 28
    assert kept.last_entry_day == timezone.localdate()


def test_a_discontinued_course_keeps_its_standing_out_of_the_list(clinic, clinician):
    patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    Course.objects.create(patient=patient, started_on=date(2026, 1, 1), state=State.DISCONTINUED)
    entry(patient, timezone.localdate() - timedelta(days=1), hours=3)
    kept = diary_standing_refresh(patient_id=patient.pk)
    assert kept is not None and not kept.active and kept.flagged


def test_the_sweep_finds_written_and_kept_diaries_and_goes_on_past_a_failure(
    clinic, clinician, monkeypatch
):
    today = timezone.localdate()
    wrote = PatientFactory(
        clinic=clinic, responsible_clinician=clinician
    )  # entries written without the service (an import)
    fill(wrote, today - timedelta(days=10), 5, hours=4)
    kept = PatientFactory(
        clinic=clinic, responsible_clinician=clinician
    )  # a standing, no entry left in the window
    diary_standing_refresh(patient_id=kept.pk, today=today - timedelta(days=1))
    long_ago = PatientFactory(
        clinic=clinic, responsible_clinician=clinician
    )  # wrote only long before the flags' window
    entry(long_ago, today - timedelta(days=400), hours=2)
    silent = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    assert standing_candidates(today=today) == sorted([wrote.pk, kept.pk])
    assert silent.pk not in standing_candidates(today=today)

    real = standing.diary_standing_refresh

    def failing(*, patient_id, today=None):
        if patient_id == wrote.pk:
            raise RuntimeError("the database went away")
        return real(patient_id=patient_id, today=today)

    monkeypatch.setattr(standing, "diary_standing_refresh", failing)
    assert diary_standings_sweep(today=today) == 2  # eager here: the chunks ran in-process
    assert DiaryStanding.objects.get(patient=kept).as_of == today
    assert not DiaryStanding.objects.filter(patient=wrote).exists()
    monkeypatch.setattr(standing, "diary_standing_refresh", real)
    diary_standings_sweep(today=today)
    first = {s.pk: (s.why, s.recorded_days) for s in DiaryStanding.objects.all()}
    diary_standings_sweep(today=today)  # twice: the same rows, nothing added
    assert {s.pk: (s.why, s.recorded_days) for s in DiaryStanding.objects.all()} == first
    assert DiaryStanding.objects.get(patient=wrote).recorded_days == 5


def test_a_patient_gone_is_no_standing():
    assert diary_standing_refresh(patient_id=987_654) is None


def test_a_weightier_flag_outranks_any_number_of_lighter_ones():
    from itertools import combinations

    from diary.reasons import FLAG_ORDER, flag_rank

    sets = [frozenset(c) for n in range(5) for c in combinations(FLAG_ORDER, n)]
    for a in sets:
        for b in sets:
            heaviest = next((f for f in FLAG_ORDER if (f in a) != (f in b)), None)
            if heaviest is None:
                assert flag_rank(a) == flag_rank(b)
            else:  # the first flag (weightiest) they differ on decides
                assert (flag_rank(a) > flag_rank(b)) == (heaviest in a)
