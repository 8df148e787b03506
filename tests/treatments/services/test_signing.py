"""Consent the patient signs in the portal: sent by staff, signed once, immutable, withdrawn."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, record_session
from treatments import services
from treatments.models import ConsentMethod, ConsentRequest, Course, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

FORBIDDEN = ("migraine", "botox", "botulinum", "toxin", "injection", "consent")


@pytest.fixture
def at_consent(patient, clinician, nurse, consent_form, lot):
    patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.preferred_channel = "email"
    patient.save()
    course = advance(
        Course.objects.get(patient=patient),
        State.CONSENT,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    services.preparation_record(
        course=course,
        by=nurse,
        reviewed_on=timezone.localdate(),
        advice="Pause fish oil for 3 days.",
        flags={},
    )
    return course


def sign(request, patient, **changes):
    kwargs = {
        "request": request,
        "user": patient.user,
        "typed_name": f"  {patient.first_name.upper()}   {patient.last_name} ",
        "confirmed": request.form.statement_list,
        "address": "203.0.113.9",
        "agent": "Mozilla/5.0 (test)",
    }
    kwargs.update(changes)
    return services.consent_sign(**kwargs)


def test_sending_tells_the_patient_in_neutral_words(
    at_consent, nurse, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.consent_request_send(course=at_consent, by=nurse)
    assert request.is_open
    [message] = mail.outbox
    text = f"{message.subject} {message.body}".lower()
    assert not [w for w in FORBIDDEN if w in text], text
    with pytest.raises(DomainError) as refused:
        services.consent_request_send(course=at_consent, by=nurse)
    assert refused.value.codes == [Reason.CONSENT_REQUEST_OPEN]


def test_the_patient_signs_and_the_copy_keeps_what_they_read(
    at_consent, nurse, patient, consent_form
):
    request = services.consent_request_send(course=at_consent, by=nurse)
    consent = sign(request, patient)
    assert consent.method == ConsentMethod.ELECTRONIC and consent.recorded_by == patient.user
    assert consent.statements == consent_form.statement_list
    assert consent.signer_address == "203.0.113.9" and consent.signer_agent == "Mozilla/5.0 (test)"
    assert consent_form.body in consent.text and "Pause fish oil for 3 days." in consent.text
    assert consent.text_sha256 == services.consent_text_hash(consent.text)
    # Later edits of the clinic's form never change the signed copy.
    before = (consent.text, consent.text_sha256)
    consent_form.body = "A different text altogether."
    consent_form.save()
    consent.refresh_from_db()
    assert (consent.text, consent.text_sha256) == before
    request.refresh_from_db()
    assert request.consent == consent and not request.is_open
    # The pathway's own guard takes it like a paper one.
    at_consent = services.course_transition(course=at_consent, name="record_consent", by=nurse)
    assert at_consent.state == State.INJECTION


def test_a_signature_needs_the_name_and_every_statement(at_consent, nurse, patient):
    request = services.consent_request_send(course=at_consent, by=nurse)
    with pytest.raises(DomainError) as refused:
        sign(request, patient, typed_name="Someone Else", confirmed=request.form.statement_list[:2])
    assert refused.value.codes == [Reason.SIGNER_NAME_MISMATCH, Reason.STATEMENTS_NOT_CONFIRMED]
    assert not at_consent.consents.exists()


def test_only_the_patient_signs_and_only_once(at_consent, nurse, patient):
    request = services.consent_request_send(course=at_consent, by=nurse)
    with pytest.raises(PermissionDenied):
        sign(request, patient, user=nurse)
    sign(request, patient)
    with pytest.raises(DomainError) as refused:
        sign(request, patient)
    assert refused.value.codes == [Reason.CONSENT_REQUEST_CLOSED]
    assert at_consent.consents.count() == 1


def test_a_paper_consent_closes_the_one_waiting_in_the_portal(at_consent, nurse, patient):
    request = services.consent_request_send(course=at_consent, by=nurse)
    services.consent_record_paper(
        course=at_consent, by=nurse, signer_name="P", signed_on=timezone.localdate()
    )
    request.refresh_from_db()
    assert request.cancelled_at is not None and not request.is_open
    with pytest.raises(DomainError) as refused:
        sign(request, patient)
    assert refused.value.codes == [Reason.CONSENT_REQUEST_CLOSED]


def test_withdrawal_blocks_the_injection(at_consent, nurse, clinician, patient, lot):
    request = services.consent_request_send(course=at_consent, by=nurse)
    consent = sign(request, patient)
    services.course_transition(course=at_consent, name="record_consent", by=nurse)
    with pytest.raises(DomainError) as refused:
        services.consent_withdraw(consent=consent, by=patient.user, reason="")
    assert refused.value.codes == [Reason.WITHDRAWAL_REASON_MISSING]
    services.consent_withdraw(consent=consent, by=patient.user, reason="I changed my mind.")
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate() and consent.withdrawn_by == patient.user
    with pytest.raises(DomainError) as refused:
        record_session(at_consent, clinician=clinician, lot=lot)
    assert Reason.CONSENT_WITHDRAWN in refused.value.codes
    with pytest.raises(DomainError) as refused:
        services.consent_withdraw(consent=consent, by=nurse, reason="again")
    assert refused.value.codes == [Reason.CONSENT_ALREADY_WITHDRAWN]


def test_another_patient_cannot_withdraw(at_consent, nurse, patient, clinic):
    from tests.factories import PatientFactory

    request = services.consent_request_send(course=at_consent, by=nurse)
    consent = sign(request, patient)
    other = PatientFactory(clinic=clinic)
    other.user = get_user_model().objects.create_user("other", password="x-long-password-1")
    other.save()
    with pytest.raises(PermissionDenied):
        services.consent_withdraw(consent=consent, by=other.user, reason="Not mine to withdraw.")


def test_expiry_is_announced_within_the_warning_days(at_consent, nurse, patient, clinic):
    from treatments.pathway import consent_expiring

    request = services.consent_request_send(course=at_consent, by=nurse)
    consent = sign(request, patient)
    cfg = clinic.settings
    expires = consent.signed_on + timedelta(days=cfg.consent_valid_days)
    assert consent_expiring(consent, expires - timedelta(days=31), cfg) is None
    assert consent_expiring(consent, expires - timedelta(days=30), cfg) == expires
    assert consent_expiring(consent, expires, cfg) is None  # expired: no longer "expiring"
    assert ConsentRequest.objects.count() == 1


def test_the_signed_consents_pdf_records_the_statements_and_where_it_was_signed(
    at_consent, nurse, patient, django_capture_on_commit_callbacks
):
    from tests.pdf import pdf_text
    from treatments.models import Document

    request = services.consent_request_send(course=at_consent, by=nurse)
    with django_capture_on_commit_callbacks(execute=True):
        consent = sign(request, patient)
    text = pdf_text(Document.objects.get(consent=consent).pdf)
    for statement in request.form.statement_list:
        assert statement in text
    assert "203.0.113.9" in text and "Mozilla/5.0 (test)" in text
    assert consent.text_sha256 in text
