"""Step 2 through its services: consent, preparation review, renewal, flagged medicines."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, record_session
from treatments import services
from treatments.models import (
    PREPARATION_FLAGS,
    Course,
    State,
)
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


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


def test_renewed_consent_needs_new_records_and_a_review(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    first = today - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    services.course_transition(course=course, name="renew_consent", by=nurse)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.CONSENT_NOT_RENEWED, Reason.PREPARATION_NOT_RENEWED]
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(course=course, by=nurse, reviewed_on=today, advice="None", flags={})
    services.course_transition(course=course, name="record_consent", by=nurse)
    # Back at step 3 without passing start_retreatment: the last cycle still needs review.
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=today)
    assert Reason.RESPONSE_NOT_REVIEWED in refused.value.codes
    services.response_review_record(
        course=course, by=clinician, reviewed_on=today, notes="Fewer headaches."
    )
    record_session(course, clinician=clinician, lot=lot, day=today)
    course.refresh_from_db()
    assert course.state == State.POST_CARE


def test_a_recent_session_of_an_earlier_course_is_flagged(
    patient, clinician, nurse, consent_form, lot
):
    first = Course.objects.get(patient=patient)
    today = timezone.localdate()
    advance(
        first,
        State.POST_CARE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(weeks=3),
    )
    services.course_discontinue(course=first, by=clinician, reason="patient_choice")
    second = services.course_start(patient=patient, by=clinician, started_on=today)
    advance(second, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    review = services.preparation_record(
        course=second, by=nurse, reviewed_on=today, advice="x", flags={}
    )
    assert review.recent_toxin and PREPARATION_FLAGS["recent_toxin"] in review.review_flags
    services.consent_record_paper(course=second, by=nurse, signer_name="P", signed_on=today)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=second, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.FLAGS_NOT_CLEARED]


def test_a_nurse_cannot_untick_a_flag_a_clinician_has_not_cleared(
    course, clinician, nurse, consent_form
):
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=None)
    today = timezone.localdate()
    services.preparation_record(
        course=course, by=nurse, reviewed_on=today, advice="x", flags={"muscle_relaxants": True}
    )
    second = services.preparation_record(
        course=course, by=nurse, reviewed_on=today, advice="x", flags={"muscle_relaxants": False}
    )
    assert second.muscle_relaxants  # still raised
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    with pytest.raises(DomainError) as refused:
        services.course_transition(course=course, name="record_consent", by=nurse)
    assert refused.value.codes == [Reason.FLAGS_NOT_CLEARED]
    # A clinician's review may untick it.
    third = services.preparation_record(
        course=course, by=clinician, reviewed_on=today, advice="x", flags={}
    )
    assert not third.muscle_relaxants


def test_a_paper_consent_that_has_already_run_out_is_refused(
    course, clinician, nurse, consent_form, clinic
):
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=None)
    old = timezone.localdate() - timedelta(days=clinic.settings.consent_valid_days)
    with pytest.raises(DomainError) as refused:
        services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=old)
    assert refused.value.codes == [Reason.CONSENT_EXPIRED]
    assert refused.value.refusals[0].field == "signed_on"
    assert not course.consents.exists()
