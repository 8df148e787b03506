"""Diaries for the demo clinic's patients, so that the diary card, the chart and the flags have
something to show (`manage.py seed_demo_diary`, which `bin/run` runs after `seed_demo`).

Each patient with an injection session kept a diary from 28 days before their first session
to yesterday, with a few days missed. Most respond (headache days fall by about half after
the first session); one in six does not (about 15% fewer, as the patient the issue describes);
one in eight uses a triptan on most headache days. Deterministic (a seeded random), written
as direct rows like the walker's history: demo data, not a record anyone made.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from patients.models import Patient
from treatments.models import InjectionSession

from .models import (
    AcuteMedicine,
    DiaryEntry,
    DiaryEntryMedicine,
    MedicineClass,
    Severity,
)

BEFORE_FIRST_SESSION = 28


def _headache_chance(kind: str, sessions: list[date], day: date) -> float:
    """The chance of a headache on `day`: about 22 days in 28 before treatment."""
    base = 22 / 28
    if not sessions or day < sessions[0]:
        return base
    if kind == "non_responder":
        return base * 0.85
    return base * 0.5


def diary_demo_seed(*, clinic_slug: str = "demo", today: date | None = None) -> int:
    """Write the demo diaries of the clinic's patients that have none; returns the entries
    written. Running it again writes nothing."""
    today = today or timezone.localdate()
    rng = random.Random(2026)  # noqa: S311 (demo data, not a secret)
    written = 0
    patients = Patient.objects.filter(clinic__slug=clinic_slug).order_by("pk")
    with transaction.atomic():
        for n, patient in enumerate(patients):
            if DiaryEntry.objects.filter(patient=patient).exists():
                continue
            sessions = sorted(
                InjectionSession.objects.filter(course__patient=patient).values_list(
                    "session_date", flat=True
                )
            )
            if not sessions:
                continue
            kind = "non_responder" if n % 6 == 1 else "responder"
            overuser = n % 8 == 3
            written += _diary_write(patient, sessions, kind, overuser, today, rng)
    return written


def _diary_write(
    patient: Patient,
    sessions: list[date],
    kind: str,
    overuser: bool,
    today: date,
    rng: random.Random,
) -> int:
    who = patient.user or patient.responsible_clinician
    if who is None:
        return 0
    triptan = AcuteMedicine.objects.create(
        patient=patient, name="Sumatriptan 50 mg", medicine_class=MedicineClass.TRIPTAN
    )
    simple = AcuteMedicine.objects.create(
        patient=patient, name="Ibuprofen 400 mg", medicine_class=MedicineClass.SIMPLE
    )
    entries, doses = [], []
    day = sessions[0] - timedelta(days=BEFORE_FIRST_SESSION)
    while day < today:
        if rng.random() < 0.06:  # a day missed now and then
            day += timedelta(days=1)
            continue
        headache = rng.random() < _headache_chance(kind, sessions, day)
        entry = DiaryEntry(
            patient=patient,
            day=day,
            headache=headache,
            entered_by=who,
            on_behalf=patient.user is None,
        )
        if headache:
            entry.duration_hours = Decimal(rng.choice([2, 4, 6, 8, 12, 24]))
            entry.severity = rng.choice(
                [Severity.MILD, Severity.MODERATE, Severity.MODERATE, Severity.SEVERE]
            )
            entry.throbbing = rng.random() < 0.7
            entry.one_sided = rng.random() < 0.6
            entry.worse_with_activity = rng.random() < 0.6
            entry.nausea = rng.random() < 0.5
            entry.light_sound_sensitivity = rng.random() < 0.6
        entries.append(entry)
        if headache and (overuser or rng.random() < 0.3):
            doses.append((len(entries) - 1, triptan if overuser or rng.random() < 0.5 else simple))
        day += timedelta(days=1)
    DiaryEntry.objects.bulk_create(entries, batch_size=500)
    DiaryEntryMedicine.objects.bulk_create(
        [DiaryEntryMedicine(entry=entries[i], medicine=m, doses=1) for i, m in doses],
        batch_size=500,
    )
    return len(entries)
