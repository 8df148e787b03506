"""The machine through its services: the happy path, every refusal, the log."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from treatments import services
from treatments.models import PREPARATION_FLAGS, Course, CourseTransition, Reminder, State
from treatments.reasons import Reason

from .journey import FIXED_SITES, advance, at, consultation_kwargs, record_session

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
    opens, due = course.retreatment_dates
    assert (opens - start).days == 70 and (due - start).days == 84


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


def test_consent_refused_without_signature_or_advice(course, clinician, nurse, consent_form):
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=None)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.NO_CONSENT, Reason.NO_PREPARATION]


def test_flagged_medicines_need_a_clinician(course, clinician, nurse, consent_form):
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=None)
    today = timezone.localdate()
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=today,
        advice="None to pause",
        flags={"aminoglycosides": True},
    )
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    [flags] = refused.value.refusals
    assert flags.code == Reason.FLAGS_NOT_CLEARED
    assert PREPARATION_FLAGS["aminoglycosides"] in flags.message
    with pytest.raises(PermissionDenied):
        services.preparation_record(
            course=course,
            by=nurse,
            reviewed_on=today,
            advice="x",
            flags={"aminoglycosides": True},
            clear_flags=True,
        )
    services.preparation_record(
        course=course,
        by=clinician,
        reviewed_on=today,
        advice="x",
        flags={"aminoglycosides": True},
        clear_flags=True,
    )
    assert services.course_transition(course=course, name="record_consent", by=nurse).state == (
        State.INJECTION
    )


def test_withdrawn_or_expired_consent_is_not_valid(course, clinician, nurse, consent_form, lot):
    advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=400),
    )
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert refused.value.codes == [Reason.CONSENT_EXPIRED]
    course.refresh_from_db()
    assert course.state == State.INJECTION
    assert not course.sessions.exists()  # nothing kept from the refused session


@pytest.mark.parametrize(
    ("muscle", "sites", "units", "expected"),
    [
        ("temporalis", 12, 60, [Reason.MUSCLE_UNITS_ABOVE_MAX, Reason.MUSCLE_SITES_ABOVE_MAX]),
        ("procerus", 2, 10, [Reason.MUSCLE_UNITS_ABOVE_MAX, Reason.MUSCLE_SITES_ABOVE_MAX]),
        ("procerus", 2, 5, [Reason.MUSCLE_DOSE_PER_SITE, Reason.MUSCLE_SITES_ABOVE_MAX]),
    ],
)
def test_session_over_the_limits_is_refused(
    course, clinician, nurse, consent_form, lot, muscle, sites, units, expected
):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    dose = dict(FIXED_SITES, **{muscle: (sites, units)})
    with pytest.raises(DomainError) as refused:
        services.injection_session_record(
            course=course,
            by=clinician,
            session_date=timezone.localdate(),
            lot=lot,
            diluent_ml=Decimal("4"),
            sites=dose,
        )
    assert refused.value.codes == expected
    assert {r.field for r in refused.value.refusals} == {f"sites.{muscle}"}
    assert not course.sessions.exists()


def test_expired_lot_is_refused(course, clinician, nurse, consent_form, lot):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    lot.expiry_date = timezone.localdate()
    lot.save()
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert refused.value.codes == [Reason.LOT_EXPIRED]
    assert lot.lot_number in refused.value.refusals[0].message


def test_lot_of_another_clinic_is_refused(
    course, clinician, nurse, consent_form, lot, other_clinic
):
    from .factories import ProductLotFactory

    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    foreign = ProductLotFactory(clinic=other_clinic)
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=foreign, day=timezone.localdate())
    assert refused.value.codes == [Reason.LOT_OF_ANOTHER_CLINIC]


def test_maintenance_needs_aftercare_and_follow_up(course, clinician, nurse, consent_form, lot):
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    with pytest.raises(DomainError) as refused:
        services.course_maintenance_start(course=course, by=nurse)
    assert refused.value.codes == [Reason.AFTERCARE_NOT_ISSUED]
    assert not Reminder.objects.exists()


def test_retreatment_waits_for_the_window_unless_overridden(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=8),
    )
    with pytest.raises(DomainError) as refused:
        services.retreatment_start(course=course, by=clinician, reviewed_on=today, notes="Better.")
    assert refused.value.codes == [Reason.WINDOW_NOT_OPEN]
    course.refresh_from_db()
    assert course.state == State.MAINTENANCE and not course.reviews.exists()
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=today,
        notes="Better.",
        override_reason="Travelling abroad in week 10.",
    )
    course.refresh_from_db()
    assert course.state == State.INJECTION
    last = course.transitions.last()
    assert last.reason == "Travelling abroad in week 10."


def test_retreatment_after_ten_weeks_opens_a_second_cycle(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=10),
    )
    services.retreatment_start(
        course=course, by=clinician, reviewed_on=today, notes="Good.", headache_days_per_month=9
    )
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=today)
    assert course.sessions.count() == 2
    retreatment = Reminder.objects.filter(kind="retreatment_due")
    assert retreatment.filter(cancelled_at__isnull=False).count() == 1  # the first cycle's
    assert retreatment.filter(cancelled_at__isnull=True).count() == 1


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


def test_second_session_cannot_be_backdated_into_the_first_cycle(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    first = today - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    services.retreatment_start(course=course, by=clinician, reviewed_on=today, notes="ok")
    for day, expected in [
        (first, Reason.SESSION_BEFORE_PREVIOUS),
        (first + timedelta(weeks=6), Reason.WINDOW_NOT_OPEN),
    ]:
        with pytest.raises(DomainError) as refused:
            record_session(course, clinician=clinician, lot=lot, day=day)
        assert refused.value.codes == [expected]
    record_session(course, clinician=clinician, lot=lot, day=today)
    course.refresh_from_db()
    assert course.state == State.POST_CARE and course.sessions.count() == 2


def test_aftercare_and_review_cannot_predate_their_session(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot, start=today)
    with pytest.raises(DomainError) as refused:
        services.aftercare_issue(
            course=course,
            by=nurse,
            issued_on=today - timedelta(days=1),
            comfort_measures="",
            follow_up_at=at(today + timedelta(weeks=4)),
        )
    assert refused.value.codes == [Reason.AFTERCARE_BEFORE_SESSION]
    # Later today is in the future but not after the session's day.
    with time_machine.travel(at(today, 9), tick=False), pytest.raises(DomainError) as refused:
        services.aftercare_issue(
            course=course,
            by=nurse,
            issued_on=today,
            comfort_measures="",
            follow_up_at=at(today, 18),
        )
    assert refused.value.codes == [Reason.FOLLOW_UP_NOT_AFTER_SESSION]
