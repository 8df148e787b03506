"""The management plan: each change is a new version, the old ones untouched; audited with
what changed; the history says who changed what."""

from __future__ import annotations

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from diary.care_selectors import plan_current, plan_history
from diary.models import ManagementPlan
from diary.services.plans import plan_revise

pytestmark = pytest.mark.django_db


def test_first_version_then_a_new_version_keeps_the_old(patient, clinician, nurse):
    first = plan_revise(patient=patient, by=clinician, sleep="Same bedtime", acute_limit_days=8)
    second = plan_revise(
        patient=patient, by=nurse, sleep="Same bedtime", acute_limit_days=6, goals="Work"
    )
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert (first.acute_limit_days, first.goals, first.created_by) == (8, "", clinician)
    assert (second.acute_limit_days, second.goals, second.created_by) == (6, "Work", nurse)
    assert plan_current(patient=patient) == second
    assert ManagementPlan.objects.filter(patient=patient).count() == 2


def test_each_version_is_audited_with_what_changed(patient, clinician):
    plan_revise(patient=patient, by=clinician, sleep="Same bedtime", acute_limit_days=8)
    second = plan_revise(patient=patient, by=clinician, sleep="Same bedtime", acute_limit_days=6)
    events = list(AuditEvent.objects.filter(action="plan.revised").order_by("id"))
    assert len(events) == 2
    assert events[0].data == {"sleep": ["", "Same bedtime"], "acute_limit_days": [None, 8]}
    assert events[1].data == {"acute_limit_days": [8, 6]}
    assert (events[1].patient_id, events[1].target_id) == (patient.pk, second.pk)


def test_an_unchanged_plan_is_refused_and_writes_nothing(patient, clinician):
    plan_revise(patient=patient, by=clinician, goals="Fewer days off work")
    with pytest.raises(DomainError) as refused:
        plan_revise(patient=patient, by=clinician, goals="Fewer days off work")
    assert refused.value.codes == ["plan_unchanged"]
    assert ManagementPlan.objects.filter(patient=patient).count() == 1


def test_history_newest_first_with_each_change(patient, clinician, nurse):
    plan_revise(patient=patient, by=clinician, goals="A", triggers="Red wine")
    plan_revise(patient=patient, by=nurse, goals="B", triggers="Red wine")
    newest, oldest = plan_history(patient=patient)
    assert newest.plan.version == 2 and newest.plan.created_by == nurse
    assert newest.changed == (("Goals", "A", "B"),)
    assert {label for label, _old, _new in oldest.changed} == {"Goals", "Triggers to avoid"}


def test_plans_are_the_patients_own(patient, clinician, clinic):
    from tests.factories import PatientFactory

    other = PatientFactory(clinic=clinic)
    plan_revise(patient=other, by=clinician, goals="Theirs")
    assert plan_current(patient=patient) is None
    assert plan_revise(patient=patient, by=clinician, goals="Mine").version == 1
