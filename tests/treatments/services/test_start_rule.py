"""The clinic's start rule (at least so many failed preventives, NICE TA260) at its boundary:
met, the evaluation goes on; one short, proceeding needs the clinician's justification, which
is kept, audited and lets the evaluation through."""

from __future__ import annotations

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.journey import consultation_kwargs
from treatments import services
from treatments.models import Consultation, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

WHY = "Two preventives failed; the third is contraindicated (asthma rules out propranolol)."


def consult(course, clinician, **changes):
    return services.consultation_record(
        course=course, by=clinician, **consultation_kwargs(**changes)
    )


def evaluate(course, clinician):
    return services.course_transition(course=course, name="complete_evaluation", by=clinician)


def test_met_at_the_clinics_number(course, clinician, clinic):
    rule = clinic.settings.min_failed_preventives
    consult(course, clinician, failed_preventives_count=rule, start_rule_justification="x")
    assert Consultation.objects.get().start_rule_justification == ""  # nothing to justify
    assert evaluate(course, clinician).state == State.CONSENT


def test_one_short_proceeding_needs_a_justification(course, clinician, clinic):
    short = clinic.settings.min_failed_preventives - 1
    for blank in ("", "   "):
        with pytest.raises(DomainError) as refused:
            consult(
                course, clinician, failed_preventives_count=short, start_rule_justification=blank
            )
        assert refused.value.codes == [Reason.START_RULE_NEEDS_JUSTIFICATION]
        assert refused.value.refusals[0].field == "start_rule_justification"
    assert not Consultation.objects.exists()
    assert not AuditEvent.objects.filter(action="consultation.recorded").exists()


def test_one_short_with_a_justification_proceeds_and_keeps_it(course, clinician, clinic):
    short = clinic.settings.min_failed_preventives - 1
    consult(course, clinician, failed_preventives_count=short, start_rule_justification=f" {WHY} ")
    assert Consultation.objects.get().start_rule_justification == WHY
    event = AuditEvent.objects.get(action="consultation.recorded")
    assert event.data["start_rule_justification"] == WHY
    assert evaluate(course, clinician).state == State.CONSENT


def test_not_proceeding_needs_none(course, clinician):
    consult(course, clinician, failed_preventives_count=0, decision="undecided")
    assert Consultation.objects.get().start_rule_justification == ""


def test_the_guard_refuses_a_record_without_one(course, clinician, clinic):
    """A consultation recorded while the rule was met, judged after the clinic raised it (or
    one recorded before justifications were kept): the evaluation waits for a new record."""
    consult(course, clinician, failed_preventives_count=clinic.settings.min_failed_preventives)
    clinic.settings.min_failed_preventives += 1
    clinic.settings.save()
    with pytest.raises(DomainError) as refused:
        evaluate(course, clinician)
    assert refused.value.codes == [Reason.START_RULE_NOT_MET]
    course.refresh_from_db()
    assert course.state == State.CONSULTATION
