"""Steps 4 and 5 through their services: aftercare, maintenance, response review, re-treatment."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, at
from treatments import services
from treatments.models import (
    Reminder,
    State,
)
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def test_maintenance_needs_aftercare_and_follow_up(course, clinician, nurse, consent_form, lot):
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    with pytest.raises(DomainError) as refused:
        services.course_maintenance_start(course=course, by=nurse)
    assert refused.value.codes == [Reason.AFTERCARE_NOT_ISSUED]
    assert not Reminder.objects.filter(kind__in=["retreatment_due", "follow_up"]).exists()


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


def test_review_cannot_predate_the_session(course, clinician, nurse, consent_form, lot):
    today = timezone.localdate()
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=11),
    )
    with pytest.raises(DomainError) as refused:
        services.retreatment_start(
            course=course, by=clinician, reviewed_on=today - timedelta(weeks=12), notes="x"
        )
    assert refused.value.codes == [Reason.REVIEW_BEFORE_SESSION]
