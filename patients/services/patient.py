"""Writes about a patient's own record: registering them, correcting their contact details."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from botoxcare.audit import changes, log_action, snapshot
from botoxcare.errors import Refusal, raise_if, refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, Role, require

from ..contact import contact_refusals
from ..duplicates import twin_of
from ..models import ContactChannel, Patient
from ..reasons import Reason

# What `patient.contact_changed` compares, before and after.
CONTACT_FIELDS = ("phone", "email", "preferred_channel", "responsible_clinician_id")


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
    different_person: bool = False,
) -> Patient:
    """Register a patient. (treatments.services.patient_refer also opens their first course.)
    Raises DomainError when the identifier is already the clinic's, or when a patient of the
    same name and birth date is (unless `different_person` says this is someone else)."""
    require(by, Action.REGISTER_PATIENT)
    try:
        with transaction.atomic():
            if not different_person:
                _twin_refuse(clinic, first_name, last_name, date_of_birth)
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
            log_action(
                "patient.registered",
                user=by,
                patient=patient,
                target=patient,
                data={"identifier": patient.identifier},
            )
    except IntegrityError as exc:
        raise refuse(
            Reason.IDENTIFIER_TAKEN,
            f"A patient with the identifier {identifier} is already registered at this clinic.",
            field="identifier",
        ) from exc
    return patient


def _twin_refuse(clinic: Clinic, first_name: str, last_name: str, date_of_birth: date) -> None:
    """The form's duplicate check again, with the clinic's row locked: of two registrations
    of one person at once, the second waits here and then sees the first."""
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
    twin = twin_of(
        clinic=clinic, first_name=first_name, last_name=last_name, date_of_birth=date_of_birth
    )
    if twin is not None:
        raise refuse(
            Reason.POSSIBLE_DUPLICATE,
            f"{twin.full_name}, born {date_of_birth.day} {date_of_birth:%b %Y}, was registered "
            f"as {twin.identifier} meanwhile. Send the form again to say whether this is a "
            "different person.",
        )


def patient_contact_update(
    *,
    patient: Patient,
    by: User,
    phone: str,
    email: str,
    preferred_channel: str,
    responsible_clinician: User | None,
) -> Patient:
    """Correct a patient's contact details and responsible clinician. A portal login's email
    follows the patient's, so a password reset reaches the new address.
    Raises DomainError when the preferred channel has no address, or the clinician is not
    the patient's clinic's."""
    require(by, Action.EDIT_CONTACT)
    phone, email = phone.strip(), email.strip()
    refusals = contact_refusals(phone=phone, email=email, preferred_channel=preferred_channel)
    if (
        responsible_clinician is not None
        and not User.objects.filter(
            pk=responsible_clinician.pk,
            staff_profile__clinic_id=patient.clinic_id,
            groups__name=Role.CLINICIAN,
        ).exists()
    ):
        refusals.append(
            Refusal(
                Reason.CLINICIAN_NOT_IN_CLINIC,
                "Choose one of this clinic's clinicians.",
                field="responsible_clinician",
            )
        )
    raise_if(refusals, summary="The contact details were not saved:")
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        before = snapshot(locked, CONTACT_FIELDS)
        locked.phone = phone
        locked.email = email
        locked.preferred_channel = preferred_channel
        locked.responsible_clinician = responsible_clinician
        locked.save(update_fields=["phone", "email", "preferred_channel", "responsible_clinician"])
        if locked.user_id is not None:
            User.objects.filter(pk=locked.user_id).update(email=email)
        log_action(
            "patient.contact_changed",
            user=by,
            patient=locked,
            target=locked,
            data=changes(before, snapshot(locked, CONTACT_FIELDS)),
        )
    return locked


def reminder_opt_outs_set(
    *, patient: Patient, by: User, opt_outs: Iterable[str], kinds: Iterable[str]
) -> Patient:
    """The patient's own choice of the reminders they do not want, among `kinds` (the caller
    knows which exist). Only the patient changes it."""
    if patient.user_id != by.pk:
        raise PermissionDenied("Only the patient chooses their messages.")
    allowed = set(kinds)
    chosen = sorted(k for k in set(opt_outs) if k in allowed)
    with transaction.atomic():
        locked = Patient.objects.select_for_update().get(pk=patient.pk)
        earlier = list(locked.reminder_opt_outs)
        locked.reminder_opt_outs = chosen
        locked.save(update_fields=["reminder_opt_outs"])
        log_action(
            "patient.reminder_opt_outs_changed",
            user=by,
            patient=locked,
            target=locked,
            data={"reminder_opt_outs": [earlier, chosen]},
        )
    return locked
