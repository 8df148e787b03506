"""The demo's diaries: written once, for the treated patients only, none in the future, from
28 days before the first session (the baseline the figures need)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from diary.demo import BEFORE_FIRST_SESSION, diary_demo_seed
from diary.models import DiaryEntry
from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, InjectionSession, State

pytestmark = pytest.mark.django_db


def test_treated_patients_get_a_diary_once(clinic, clinician, nurse, lot, consent_form):
    clinic.slug = "demo"
    clinic.save()
    treated = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    start = timezone.localdate() - timedelta(days=60)
    advance(
        Course.objects.get(patient=treated),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    )
    untreated = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    written = diary_demo_seed()
    assert written == DiaryEntry.objects.filter(patient=treated).count() > 40
    assert not DiaryEntry.objects.filter(patient=untreated).exists()
    first = InjectionSession.objects.filter(course__patient=treated).earliest("session_date")
    days = DiaryEntry.objects.filter(patient=treated)
    assert days.earliest("day").day >= first.session_date - timedelta(days=BEFORE_FIRST_SESSION)
    assert days.filter(day__lt=first.session_date).count() >= 20  # a baseline to judge from
    assert days.latest("day").day < timezone.localdate()
    assert diary_demo_seed() == 0
    call_command("seed_demo_diary")  # and the command says so, changing nothing
    assert DiaryEntry.objects.count() == written
