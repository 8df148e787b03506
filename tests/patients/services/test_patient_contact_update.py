"""Correcting a patient's contact details: the preferred channel needs its address, the
clinician must be the clinic's, and a portal login's email follows the patient's."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from botoxcare.errors import DomainError
from botoxcare.roles import Role
from patients import services
from patients.models import ContactChannel
from patients.reasons import Reason
from tests.factories import make_staff

pytestmark = pytest.mark.django_db


def update(patient, by, **changes):
    details = {
        "phone": patient.phone,
        "email": patient.email,
        "preferred_channel": patient.preferred_channel,
        "responsible_clinician": patient.responsible_clinician,
    }
    return services.patient_contact_update(patient=patient, by=by, **{**details, **changes})


def test_saves_the_details_trimmed(patient, receptionist, clinician):
    update(
        patient,
        receptionist,
        phone=" 07700 900999 ",
        email=" new@example.org ",
        preferred_channel=ContactChannel.EMAIL,
        responsible_clinician=None,
    )
    patient.refresh_from_db()
    assert (patient.phone, patient.email) == ("07700 900999", "new@example.org")
    assert patient.preferred_channel == ContactChannel.EMAIL
    assert patient.responsible_clinician is None


def test_a_portal_logins_email_follows(patient, nurse):
    patient.user = get_user_model().objects.create_user("pat", email=patient.email)
    patient.save()
    update(patient, nurse, email="moved@example.org")
    patient.user.refresh_from_db()
    assert patient.user.email == "moved@example.org"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"email": "", "preferred_channel": ContactChannel.EMAIL}, Reason.CHANNEL_NEEDS_EMAIL),
        ({"phone": "  ", "preferred_channel": ContactChannel.SMS}, Reason.CHANNEL_NEEDS_PHONE),
        ({"phone": "", "preferred_channel": ContactChannel.PHONE}, Reason.CHANNEL_NEEDS_PHONE),
    ],
)
def test_the_preferred_channel_needs_its_address(patient, receptionist, changes, code):
    before = (patient.phone, patient.email, patient.preferred_channel)
    with pytest.raises(DomainError) as caught:
        update(patient, receptionist, **changes)
    assert caught.value.codes == [code]
    patient.refresh_from_db()
    assert (patient.phone, patient.email, patient.preferred_channel) == before


def test_the_clinician_must_be_one_of_the_clinics(patient, receptionist, other_clinic, clinic):
    for stranger in (make_staff(other_clinic, Role.CLINICIAN), make_staff(clinic, Role.NURSE)):
        with pytest.raises(DomainError) as caught:
            update(patient, receptionist, responsible_clinician=stranger)
        assert caught.value.codes == [Reason.CLINICIAN_NOT_IN_CLINIC]


def test_an_admin_may_not_edit(patient, clinic_admin):
    with pytest.raises(PermissionDenied):
        update(patient, clinic_admin, phone="07700 900111")
    patient.refresh_from_db()
    assert patient.phone != "07700 900111"
