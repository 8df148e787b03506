"""Writes about a patient's own record: registering them, correcting their contact details."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from botoxcare.errors import refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from ..models import ContactChannel, Patient
from ..reasons import Reason


def normalised_identifier(identifier: str) -> str:
    """Identifiers are compared without case or surrounding spaces: "h100 " is "H100"."""
    return identifier.strip().upper()


def patient_register(
    *,
    clinic: Clinic,
    by: User,
    identifier: str,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    phone: str = "",
    email: str = "",
    preferred_channel: str = ContactChannel.PHONE,
    responsible_clinician: User | None = None,
) -> Patient:
    """Register a patient. (treatments.services.patient_refer also opens their first course.)
    Raises DomainError when the identifier is already the clinic's."""
    require(by, Action.REGISTER_PATIENT)
    try:
        with transaction.atomic():
            patient = Patient.objects.create(
                clinic=clinic,
                identifier=normalised_identifier(identifier),
                first_name=first_name.strip(),
                last_name=last_name.strip(),
                date_of_birth=date_of_birth,
                phone=phone.strip(),
                email=email.strip(),
                preferred_channel=preferred_channel,
                responsible_clinician=responsible_clinician,
            )
    except IntegrityError as exc:
        raise refuse(
            Reason.IDENTIFIER_TAKEN,
            f"A patient with the identifier {identifier} is already registered at this clinic.",
            field="identifier",
        ) from exc
    return patient
