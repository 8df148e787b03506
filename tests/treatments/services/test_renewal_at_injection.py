"""A consent that expires (or is withdrawn) while the course waits at step 3 is renewed there,
through the machine: back to step 2 for a new consent and preparation review, then on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, record_session
from treatments import services
from treatments.models import Course, CourseTransition, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def at_step_3(course, clinician, nurse, lot, *, signed_days_ago: int) -> Course:
    return advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=signed_days_ago),
    )


def renew(course, by, **kwargs) -> Course:
    return services.course_transition(course=course, name="renew_consent", by=by, **kwargs)


def test_not_while_the_consent_is_good_for_longer_than_the_warning(
    course, clinician, nurse, consent_form, lot, clinic
):
    cfg = clinic.settings
    # Expires in warning_days + 1: one day before the renewal may start.
    days = cfg.consent_valid_days - cfg.consent_warning_days - 1
    at_step_3(course, clinician, nurse, lot, signed_days_ago=days)
    assert course.has_valid_consent(timezone.localdate())
    with pytest.raises(DomainError) as refused:
        renew(course, nurse)
    assert refused.value.codes == [Reason.CONSENT_STILL_VALID]
    course.refresh_from_db()
    assert course.state == State.INJECTION
    assert not CourseTransition.objects.filter(name="renew_consent").exists()


def test_from_the_first_day_of_the_warning(course, clinician, nurse, consent_form, lot, clinic):
    cfg = clinic.settings
    days = cfg.consent_valid_days - cfg.consent_warning_days  # expires in warning_days
    at_step_3(course, clinician, nurse, lot, signed_days_ago=days)
    assert renew(course, nurse).state == State.CONSENT
    logged = CourseTransition.objects.get(name="renew_consent")
    assert (logged.source, logged.target, logged.by) == (State.INJECTION, State.CONSENT, nurse)


def test_an_expired_consent_is_renewed_and_the_course_goes_on(
    course, clinician, nurse, consent_form, lot, clinic
):
    at_step_3(course, clinician, nurse, lot, signed_days_ago=clinic.settings.consent_valid_days)
    today = timezone.localdate()
    assert not course.has_valid_consent(today)
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot)
    assert Reason.CONSENT_EXPIRED in refused.value.codes
    renew(course, nurse)
    # The old consent and preparation no longer count: both are asked for again.
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    assert set(refused.value.codes) == {Reason.CONSENT_NOT_RENEWED, Reason.PREPARATION_NOT_RENEWED}
    later = timezone.now() + timedelta(minutes=1)
    services.consent_record_paper(
        course=course, by=nurse, signer_name="P", signed_on=today, now=later
    )
    services.preparation_record(
        course=course, by=nurse, reviewed_on=today, advice="Nothing to pause.", flags={}, now=later
    )
    services.course_transition(course=course, name="record_consent", by=nurse, now=later)
    record_session(course, clinician=clinician, lot=lot)
    course.refresh_from_db()
    assert course.state == State.POST_CARE


def test_a_withdrawn_consent_is_renewed_at_step_3(course, clinician, nurse, consent_form, lot):
    at_step_3(course, clinician, nurse, lot, signed_days_ago=5)
    services.consent_withdraw(consent=course.consents.get(), by=nurse, reason="Unsure for now.")
    assert renew(course, clinician).state == State.CONSENT


def test_only_the_roles_that_send_a_course_back(
    course, clinician, nurse, receptionist, consent_form, lot, clinic
):
    from django.core.exceptions import PermissionDenied

    at_step_3(course, clinician, nurse, lot, signed_days_ago=clinic.settings.consent_valid_days)
    with pytest.raises(PermissionDenied):
        renew(course, receptionist)


def test_twice_at_once_gives_one_renewal(course, clinician, nurse, consent_form, lot, clinic):
    at_step_3(course, clinician, nurse, lot, signed_days_ago=clinic.settings.consent_valid_days)
    renew(course, nurse)
    with pytest.raises(DomainError) as refused:
        renew(course, clinician)
    assert refused.value.codes == [Reason.STEP_NOT_POSSIBLE]
    assert CourseTransition.objects.filter(name="renew_consent").count() == 1
