"""The diary benchmark's rows (bench/diary.py): the seed writes entries the diary's own rules
accept, deterministically, and every diary's standing is judged before the list is timed."""

from __future__ import annotations

import random

import pytest
from django.db.models import F
from django.utils import timezone

from bench import diary as diary_bench
from bench.run import CLINIC_SLUG
from diary.models import DiaryEntry, DiaryEntryMedicine, DiaryStanding
from patients.models import Patient
from treatments.walk import clinic_histories

from .test_walk import a_clinic, seed_rows

pytestmark = pytest.mark.django_db


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


def test_the_bench_judges_every_standing_once_a_day(bench_clinic, capsys):
    # The standings' agreement with the patient page is tests/diary/services/
    # test_diary_standing.py's, on this same seed; here: the bench judges each diary as of
    # today, then re-uses them.
    clinic, _ = bench_clinic
    today = timezone.localdate()
    diary_bench.standings_judge(today)
    kept = DiaryStanding.objects.filter(clinic=clinic, as_of=today)
    assert (
        kept.count()
        == Patient.objects.filter(clinic=clinic, diary_entries__isnull=False).distinct().count()
    )
    assert kept.filter(flagged=True).exists()
    assert "Judged" in capsys.readouterr().out
    diary_bench.standings_judge(today)
    assert "Re-using today's standings" in capsys.readouterr().out
