"""Re-treatment while the diary's stop rule is met (as the caller judged it and passed in)
needs a clinician's recorded reason; without one nothing changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance
from treatments import services
from treatments.models import Course, ResponseReview, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

WHY = "Cycle 2: headache days changed by -15% against the baseline."


@pytest.fixture
def maintained(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    return course


def start(course, clinician, **kwargs):
    return services.retreatment_start(
        course=course, by=clinician, reviewed_on=timezone.localdate(), notes="ok", **kwargs
    )


@pytest.mark.parametrize("reason", ["", "   "])
def test_stop_rule_met_without_a_reason_is_refused(maintained, clinician, reason):
    with pytest.raises(DomainError) as caught:
        start(maintained, clinician, stop_rule_met=True, stop_rule_why=WHY, stop_rule_reason=reason)
    (refusal,) = caught.value.refusals
    assert refusal.code == Reason.STOP_RULE_NEEDS_REASON
    assert refusal.field == "stop_rule_reason"
    assert "-15%" in refusal.message
    maintained.refresh_from_db()
    assert maintained.state == State.MAINTENANCE
    assert not ResponseReview.objects.filter(course=maintained).exists()


def test_stop_rule_met_with_a_reason_is_recorded(maintained, clinician):
    review = start(
        maintained,
        clinician,
        stop_rule_met=True,
        stop_rule_why=WHY,
        stop_rule_reason="Fewer severe days; patient wishes to continue",
    )
    maintained.refresh_from_db()
    assert maintained.state == State.INJECTION
    assert review.stop_rule_met
    assert review.stop_rule_reason == "Fewer severe days; patient wishes to continue"


def test_stop_rule_not_met_needs_no_reason(maintained, clinician):
    review = start(maintained, clinician, stop_rule_reason="not asked")
    assert not review.stop_rule_met and review.stop_rule_reason == ""
