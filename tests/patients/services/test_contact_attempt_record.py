"""Recording an attempt to reach a patient: who may, when, and what is kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.roles import Role
from patients import services
from patients.models import ContactAttempt, ContactChannel, ContactOutcome
from patients.reasons import Reason
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def test_records_the_attempt_with_its_note_trimmed(patient, receptionist):
    attempt = services.contact_attempt_record(
        patient=patient,
        by=receptionist,
        channel=ContactChannel.PHONE,
        outcome=ContactOutcome.LEFT_MESSAGE,
        note="  asked to call back  ",
    )
    stored = ContactAttempt.objects.get(pk=attempt.pk)
    assert (stored.patient, stored.by, stored.channel, stored.outcome, stored.note) == (
        patient,
        receptionist,
        "phone",
        "left_message",
        "asked to call back",
    )
    assert timezone.now() - stored.at < timedelta(seconds=5)


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.NURSE, Role.RECEPTIONIST, Role.ADMIN])
def test_every_staff_role_may_record(patient, clinic, role):
    services.contact_attempt_record(
        patient=patient, by=make_staff(clinic, role), channel="sms", outcome="no_answer"
    )
    assert patient.contact_attempts.count() == 1


def test_a_login_with_no_clinic_role_may_not(patient, django_user_model):
    operator = django_user_model.objects.create_superuser("ops", password="x")
    with pytest.raises(PermissionDenied):
        services.contact_attempt_record(
            patient=patient, by=operator, channel="phone", outcome="reached"
        )
    assert not ContactAttempt.objects.exists()


def test_a_time_in_the_future_is_refused(patient, nurse):
    with pytest.raises(DomainError) as error:
        services.contact_attempt_record(
            patient=patient,
            by=nurse,
            channel="phone",
            outcome="reached",
            at=timezone.now() + timedelta(hours=1),
        )
    assert error.value.codes == [Reason.CONTACT_IN_FUTURE]
    assert not ContactAttempt.objects.exists()


def test_a_note_too_long_is_refused(patient, nurse):
    with pytest.raises(DomainError) as error:
        services.contact_attempt_record(
            patient=patient, by=nurse, channel="phone", outcome="reached", note="x" * 501
        )
    assert error.value.codes == [Reason.CONTACT_NOTE_TOO_LONG]


def test_an_unknown_outcome_is_an_error_not_a_row(patient, nurse):
    with pytest.raises(ValueError):
        services.contact_attempt_record(patient=patient, by=nurse, channel="phone", outcome="maybe")
    assert not ContactAttempt.objects.exists()
