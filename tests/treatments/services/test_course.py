"""The machine through its services: transitions, their log, starting and ending a course."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, at, consultation_kwargs
from treatments import services
from treatments.models import (
    Course,
    CourseTransition,
    Reminder,
    State,
)
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(consent_form, lot):
    return lot


def test_state_cannot_be_assigned(course):
    with pytest.raises(AttributeError):
        course.state = State.MAINTENANCE


def test_happy_path_logs_every_transition(course, clinician, nurse, ready):
    start = timezone.localdate() - timedelta(days=30)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=ready, start=start)
    log = list(CourseTransition.objects.filter(course=course).values_list("source", "target", "by"))
    assert log == [
        ("consultation", "consent", clinician.pk),
        ("consent", "injection", nurse.pk),
        ("injection", "post_care", clinician.pk),
        ("post_care", "maintenance", nurse.pk),
    ]
    assert course.state == State.MAINTENANCE
    status = course.retreatment_status(start)
    assert (status.opens - start).days == 70 and (status.due - start).days == 84


def test_evaluation_refused_until_every_fact_is_recorded(course, clinician):
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="complete_evaluation", by=clinician)
    assert refused.value.codes == [Reason.NO_CONSULTATION]
    services.consultation_record(
        course=course,
        by=clinician,
        **consultation_kwargs(
            chronic_migraine_confirmed=False, medication_overuse="", decision="undecided"
        ),
    )
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="complete_evaluation", by=clinician)
    assert refused.value.codes == [
        Reason.DIAGNOSIS_NOT_CONFIRMED,
        Reason.OVERUSE_NOT_RECORDED,
        Reason.NOT_AGREED,
    ]
    course.refresh_from_db()
    assert course.state == State.CONSULTATION
    assert not CourseTransition.objects.exists()


def test_only_a_clinician_completes_the_evaluation(course, clinician, nurse):
    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    with pytest.raises(PermissionDenied):
        services.course_transition(course=course, name="complete_evaluation", by=nurse)
    with pytest.raises(PermissionDenied):
        services.consultation_record(course=course, by=nurse, **consultation_kwargs())


def test_decline_needs_the_decision_recorded(course, clinician):
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="decline", by=clinician)
    assert refused.value.codes == [Reason.DECLINE_NOT_RECORDED]
    services.consultation_record(
        course=course, by=clinician, **consultation_kwargs(decision="decline")
    )
    course = services.course_transition(course=course, name="decline", by=clinician)
    assert course.state == State.DISCONTINUED
    assert course.discontinue_reason == "patient_choice"


def test_renew_consent_goes_back_to_step_two(course, clinician, nurse, consent_form, lot):
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    course = services.course_transition(course=course, name="renew_consent", by=nurse)
    assert course.state == State.CONSENT


def test_discontinue_needs_a_reason_and_stops_reminders(
    course, clinician, nurse, consent_form, lot
):
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    with pytest.raises(DomainError) as refused:
        services.course_discontinue(course=course, by=clinician, reason="")
    assert refused.value.codes == [Reason.NO_DISCONTINUE_REASON]
    course = services.course_discontinue(
        course=course, by=clinician, reason="adverse_event", detail="Ptosis"
    )
    assert course.state == State.DISCONTINUED
    assert not Reminder.objects.filter(cancelled_at__isnull=True).exists()
    with pytest.raises(DomainError) as refused:
        services.course_discontinue(course=course, by=clinician, reason="other", detail="again")
    assert refused.value.codes == [Reason.STEP_NOT_POSSIBLE]


def test_new_course_only_after_discontinued(patient, course, clinician):
    with pytest.raises(DomainError) as refused:
        services.course_start(patient=patient, by=clinician, started_on=timezone.localdate())
    assert refused.value.codes == [Reason.ACTIVE_COURSE_EXISTS]
    services.course_discontinue(course=course, by=clinician, reason="patient_choice")
    new = services.course_start(patient=patient, by=clinician, started_on=timezone.localdate())
    assert new.state == State.CONSULTATION
    assert Course.objects.filter(patient=patient).count() == 2


def test_transition_log_time_is_the_given_moment(course, clinician):
    moment = at(timezone.localdate() - timedelta(days=3))
    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    services.course_transition(course=course, name="complete_evaluation", by=clinician, now=moment)
    assert CourseTransition.objects.get().at == moment


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"headache_days_per_month": 10}, Reason.FIGURES_BELOW_CHRONIC),
        ({"migraine_days_per_month": 5}, Reason.FIGURES_BELOW_CHRONIC),
        ({"medication_overuse": "present"}, Reason.OVERUSE_UNMANAGED),
    ],
)
def test_evaluation_reads_the_recorded_figures(course, clinician, changes, expected):
    services.consultation_record(course=course, by=clinician, **consultation_kwargs(**changes))
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="complete_evaluation", by=clinician)
    assert refused.value.codes == [expected]


def test_the_start_rule_is_the_clinics_setting(course, clinician, clinic):
    clinic.settings.min_failed_preventives = 0
    clinic.settings.save()
    course.patient.preventive_treatments.all().delete()
    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    assert (
        services.course_transition(course=course, name="complete_evaluation", by=clinician).state
        == State.CONSENT
    )


def test_each_guard_runs_once_per_transition(course, clinician, monkeypatch):
    from treatments import pathway

    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    calls = []
    real = pathway.evaluation_refusals

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(pathway, "evaluation_refusals", counted)
    services.course_transition(course=course, name="complete_evaluation", by=clinician)
    assert len(calls) == 1


def test_a_transition_writes_only_the_fields_it_changes(course, clinician):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    with CaptureQueriesContext(connection) as ctx:
        services.course_transition(course=course, name="complete_evaluation", by=clinician)
    updates = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    [update] = [u for u in updates if u.startswith('UPDATE "treatments_course"')]
    assignments = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    assert assignments.count("=") == 1 and '"state"' in assignments
    # and the patient's copy of it, for the list's step filter (current_state_keep)
    [kept] = [u for u in updates if u.startswith('UPDATE "patients_patient"')]
    assert kept.split(" SET ", 1)[1].startswith('"current_state" =')
    with CaptureQueriesContext(connection) as ctx:
        services.course_discontinue(course=course, by=clinician, reason="patient_choice")
    course_updates = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "treatments_course"')
    ]
    [update] = course_updates
    assignments = update.split(" SET ", 1)[1].split(" WHERE ", 1)[0]
    for column in ('"state"', '"discontinue_reason"', '"discontinue_detail"'):
        assert column in assignments
    assert '"started_on"' not in assignments and '"patient_id"' not in assignments


def test_an_unknown_discontinue_reason_is_refused(course, clinician):
    with pytest.raises(DomainError) as refused:
        services.course_discontinue(course=course, by=clinician, reason="bored")
    assert refused.value.codes == [Reason.NO_DISCONTINUE_REASON]
    course.refresh_from_db()
    assert course.state == State.CONSULTATION
