"""The clinic's start rule (at least so many failed preventives, NICE TA260) at its boundary,
counted from the patient's list of preventive treatments (treatments.start_rule): distinct
classes that were ineffective, not tolerated or contraindicated. Met, the evaluation goes on;
one short, proceeding needs the clinician's justification, which is kept, audited and lets the
evaluation through. A consultation recorded before the list keeps its typed count."""

from __future__ import annotations

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.journey import consultation_kwargs
from treatments import services
from treatments.models import Consultation, PreventiveTreatment, State
from treatments.reasons import Reason
from treatments.services.history import preventive_treatment_add
from treatments.start_rule import failed_preventive_classes, failed_preventive_count

pytestmark = pytest.mark.django_db

WHY = "Two preventives failed; the third is contraindicated (asthma rules out propranolol)."


def consult(course, clinician, **changes):
    return services.consultation_record(
        course=course, by=clinician, **consultation_kwargs(**changes)
    )


def evaluate(course, clinician):
    return services.course_transition(course=course, name="complete_evaluation", by=clinician)


def history(patient, clinician, *rows):
    """The patient's list made exactly `rows`: (class, outcome) or (class, outcome, drug)."""
    PreventiveTreatment.objects.filter(patient=patient).delete()
    for row in rows:
        drug_class, outcome, drug = (*row, "")[:3]
        preventive_treatment_add(
            patient=patient, by=clinician, drug_class=drug_class, outcome=outcome, drug=drug
        )


THREE = (
    ("beta_blocker", "ineffective"),
    ("tca", "not_tolerated"),
    ("topiramate", "contraindicated"),
)


def test_three_failed_classes_meet_the_default_rule(course, clinician, clinic, patient):
    assert clinic.settings.min_failed_preventives == 3
    history(patient, clinician, *THREE)
    consult(course, clinician, start_rule_justification="x")
    assert Consultation.objects.get().start_rule_justification == ""  # nothing to justify
    event = AuditEvent.objects.get(action="consultation.recorded")
    assert event.data["failed_preventives_count"] == 3
    assert event.data["failed_classes"] == ["beta_blocker", "tca", "topiramate"]
    assert evaluate(course, clinician).state == State.CONSENT


def test_two_failed_classes_need_a_justification(course, clinician, patient):
    history(patient, clinician, *THREE[:2])
    for blank in ("", "   "):
        with pytest.raises(DomainError) as refused:
            consult(course, clinician, start_rule_justification=blank)
        assert refused.value.codes == [Reason.START_RULE_NEEDS_JUSTIFICATION]
        assert refused.value.refusals[0].field == "start_rule_justification"
        assert "2 preventive treatment(s) failed" in refused.value.refusals[0].text
    assert not Consultation.objects.exists()
    assert not AuditEvent.objects.filter(action="consultation.recorded").exists()


@pytest.mark.parametrize(
    "third",
    [
        ("beta_blocker", "ineffective"),  # a second beta-blocker: the same class, once
        ("candesartan", "still_taking"),
        ("candesartan", "helped"),
    ],
)
def test_what_does_not_count(course, clinician, patient, third):
    history(patient, clinician, *THREE[:2], third)
    assert failed_preventive_count(None, PreventiveTreatment.objects.all()) == 2
    with pytest.raises(DomainError) as refused:
        consult(course, clinician)
    assert refused.value.codes == [Reason.START_RULE_NEEDS_JUSTIFICATION]


def test_each_named_drug_of_another_class_counts_once(patient, clinician):
    history(
        patient,
        clinician,
        *THREE[:2],
        ("other", "ineffective", "Melatonin"),
        ("other", "not_tolerated", " melatonin "),
    )
    assert failed_preventive_count(None, PreventiveTreatment.objects.all()) == 3
    assert "other:melatonin" in failed_preventive_classes(PreventiveTreatment.objects.all())


def test_two_short_with_a_justification_proceeds_and_keeps_it(course, clinician, patient):
    history(patient, clinician, *THREE[:2])
    consult(course, clinician, start_rule_justification=f" {WHY} ")
    assert Consultation.objects.get().start_rule_justification == WHY
    event = AuditEvent.objects.get(action="consultation.recorded")
    assert event.data["start_rule_justification"] == WHY
    assert evaluate(course, clinician).state == State.CONSENT


def test_not_proceeding_needs_none(course, clinician, patient):
    history(patient, clinician)
    consult(course, clinician, decision="undecided")
    assert Consultation.objects.get().start_rule_justification == ""


def test_the_guard_reads_the_list_as_it_is_when_judged(course, clinician, patient):
    """A class taken off the list (entered by mistake) after the consultation: the
    evaluation waits for a new record with a justification."""
    history(patient, clinician, *THREE)
    consult(course, clinician)
    PreventiveTreatment.objects.filter(drug_class="tca").delete()
    with pytest.raises(DomainError) as refused:
        evaluate(course, clinician)
    assert refused.value.codes == [Reason.START_RULE_NOT_MET]
    course.refresh_from_db()
    assert course.state == State.CONSULTATION


def test_the_guard_refuses_a_record_without_one(course, clinician, clinic, patient):
    """A consultation recorded while the rule was met, judged after the clinic raised it: the
    evaluation waits for a new record."""
    history(patient, clinician, *THREE)
    consult(course, clinician)
    clinic.settings.min_failed_preventives += 1
    clinic.settings.save()
    with pytest.raises(DomainError) as refused:
        evaluate(course, clinician)
    assert refused.value.codes == [Reason.START_RULE_NOT_MET]


def legacy(course, clinician, count):
    """A consultation as recorded before the list: a typed count, the history typed."""
    kwargs = consultation_kwargs()
    kwargs.pop("seen_on")
    return Consultation.objects.create(
        course=course,
        clinician=clinician,
        seen_on=timezone.localdate(),
        recorded_at=timezone.now(),
        failed_preventives_count=count,
        **kwargs,
    )


def test_a_legacy_consultation_keeps_its_typed_count(course, clinician, patient):
    history(patient, clinician)  # no list at all, as before it existed
    legacy(course, clinician, 3)
    assert evaluate(course, clinician).state == State.CONSENT


def test_a_legacy_consultation_one_short_is_refused_whatever_the_list(course, clinician, patient):
    history(patient, clinician, *THREE)  # the list is not read for a typed count
    legacy(course, clinician, 2)
    with pytest.raises(DomainError) as refused:
        evaluate(course, clinician)
    assert refused.value.codes == [Reason.START_RULE_NOT_MET]
    assert "2 preventive treatment(s) failed" in refused.value.refusals[0].text


def test_no_list_and_no_notes_is_preventives_missing(course, clinician, patient):
    history(patient, clinician)
    consult(course, clinician, previous_preventives="", start_rule_justification=WHY)
    with pytest.raises(DomainError) as refused:
        evaluate(course, clinician)
    assert refused.value.codes == [Reason.PREVENTIVES_MISSING]
