"""Patient.current_state, which the staff list filters by, is the state of the patient's
latest course after every step the machine takes and every course opened."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db.models.signals import post_save
from django.utils import timezone

from patients.models import Patient
from tests.journeys.test_walk import TARGETS, a_clinic
from treatments import services
from treatments.models import Course, CourseTransition, State, Transition
from treatments.walk import history, walk_through_services

pytestmark = pytest.mark.django_db


def latest_state(patient_id: int) -> str:
    return Course.objects.filter(patient_id=patient_id).order_by("-started_on", "-id")[0].state


def test_current_state_follows_every_transition():
    """Every transition of every demo history through the services (as seed_demo records
    them), checked as each one's log row is written, inside its transaction."""
    seen: list[str] = []

    def check(sender: Any, instance: CourseTransition, created: bool, **kwargs: Any) -> None:
        patient_id = instance.course.patient_id
        assert Patient.objects.get(pk=patient_id).current_state == instance.target
        assert latest_state(patient_id) == instance.target
        seen.append(instance.name)

    team = a_clinic("keep")
    rng, today = random.Random(12), timezone.localdate()
    post_save.connect(check, sender=CourseTransition, weak=False)
    try:
        for i, (target, cycles) in enumerate(TARGETS):
            walk = history(
                rng,
                target=target,
                cycles=cycles,
                today=today,
                identifier=f"K{i}",
                first_name="Kit",
                last_name=f"Keeper{i}",
                clinician=i % 2,
            )
            walk_through_services(walk, **{k: v for k, v in team.items() if k != "form"})
        # The one step no demo history takes: back to consent from maintenance.
        kept = Course.objects.filter(patient__clinic=team["clinic"], state=State.MAINTENANCE)[0]
        services.course_transition(
            course=kept, name=Transition.RENEW_CONSENT, by=team["clinicians"][0]
        )
    finally:
        post_save.disconnect(check, sender=CourseTransition)
    assert set(seen) == set(Transition.values)
    for p in Patient.objects.filter(clinic=team["clinic"]):
        assert p.current_state == latest_state(p.pk)


def test_a_new_course_is_the_current_one(course, clinician):
    services.course_discontinue(course=course, by=clinician, reason="patient_choice")
    patient = Patient.objects.get(pk=course.patient_id)
    assert patient.current_state == State.DISCONTINUED
    services.course_start(patient=patient, by=clinician, started_on=timezone.localdate())
    assert Patient.objects.get(pk=patient.pk).current_state == State.CONSULTATION


def test_a_referred_patient_starts_at_consultation(clinic, receptionist):
    from datetime import date

    patient = services.patient_refer(
        clinic=clinic,
        by=receptionist,
        referred_on=timezone.localdate(),
        identifier="R1",
        first_name="Zoë",
        last_name="Ångström",
        date_of_birth=date(1980, 1, 1),
    )
    patient.refresh_from_db()
    assert patient.current_state == State.CONSULTATION
    assert (patient.search_first, patient.search_last) == ("zoe", "angstrom")
