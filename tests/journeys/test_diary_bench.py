"""The diary benchmark's rows (bench/diary.py): the seed writes entries the diary's own rules
accept, deterministically, and the clinic-wide flag scan it times gives each patient the flags
the patient page gives them."""

from __future__ import annotations

import random

import pytest
from django.db.models import F
from django.utils import timezone

from bench import diary as diary_bench
from bench.run import CLINIC_SLUG
from diary.figures import diary_flags, flag_periods
from diary.models import DiaryEntry, DiaryEntryMedicine
from diary.reasons import Flag
from diary.selectors import diary_summary
from pages.staff.diary_card import CARD_PERIODS
from patients.models import Patient
from treatments.models import Course
from treatments.walk import clinic_histories

from .test_walk import a_clinic, seed_rows

pytestmark = pytest.mark.django_db

SCANNED = {Flag.MEDICATION_OVERUSE, Flag.CHRONIC_MIGRAINE, Flag.TOO_FEW_RECORDED}


@pytest.fixture
def bench_clinic():
    team = a_clinic(CLINIC_SLUG)
    today = timezone.localdate()
    seed_rows(list(clinic_histories(random.Random(3), 40, today, clinicians=2)), team)
    counts = diary_bench.seed_diary()
    return team["clinic"], counts


def test_the_seed_writes_two_years_a_patient_the_diary_accepts(bench_clinic):
    clinic, counts = bench_clinic
    today = timezone.localdate()
    patients = Patient.objects.filter(clinic=clinic)
    assert counts["entries"] == DiaryEntry.objects.count()
    assert counts["medicines taken"] == DiaryEntryMedicine.objects.count()
    # Most days of two years recorded, none today (left for the POSTs) or in the future.
    assert 0.7 * 40 * diary_bench.DAYS < counts["entries"] < 40 * diary_bench.DAYS
    assert not DiaryEntry.objects.filter(day__gte=today).exists()
    assert all(p.user_id for p in patients)
    # Medicines taken are from the patient's own list.
    assert not DiaryEntryMedicine.objects.exclude(medicine__patient=F("entry__patient")).exists()
    # Days without headache carry no details (the model's check constraint held on insert).
    assert not DiaryEntry.objects.filter(headache=False).exclude(severity="").exists()


def test_the_flag_scan_agrees_with_the_patient_page(bench_clinic):
    clinic, _ = bench_clinic
    today = timezone.localdate()
    rules = clinic.settings
    scanned = dict(diary_bench.flagged_patients(clinic, today))
    count = max(CARD_PERIODS, flag_periods(rules))
    seen = set()
    for patient in Patient.objects.filter(clinic=clinic):
        course = Course.objects.filter(patient=patient).order_by("-pk").first()
        summary = diary_summary(patient=patient, course=course, rules=rules, end=today, count=count)
        page = {str(f.code) for f in diary_flags(summary, rules) if f.met and f.code in SCANNED}
        assert set(scanned.get(patient.pk, [])) == page, patient.pk
        seen |= page
    # The seed is realistic enough to raise overuse and too few days among 40 patients (chronic
    # migraine met over 3 periods is rarer: a few in a hundred, as the 1,000-patient bench shows).
    assert {str(Flag.MEDICATION_OVERUSE), str(Flag.TOO_FEW_RECORDED)} <= seen
