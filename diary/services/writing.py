"""What every diary write checks first: who writes (the patient, or staff of the patient's
clinic with a role that may enter the diary, then on the patient's behalf) and whether a day
can hold an entry (not in the future, not before the patient's first course or birth)."""

from __future__ import annotations

from datetime import date
from typing import Any

from botoxcare.errors import Refusal, refuse
from botoxcare.roles import Action, user_can
from patients.models import Patient
from treatments.models import Course

from ..reasons import Reason


def writer_on_behalf(*, patient: Patient, by: Any) -> bool:
    """False for the patient themself, True for staff allowed to write for them; raises
    DomainError for anyone else."""
    if by is not None and patient.user_id is not None and by.pk == patient.user_id:
        return False
    profile = getattr(by, "staff_profile", None)
    if profile is None:
        raise refuse(Reason.WRITER_NOT_ALLOWED, "Only the patient or their clinic can write here.")
    if profile.clinic_id != patient.clinic_id:
        raise refuse(
            Reason.PATIENT_OF_ANOTHER_CLINIC, "This patient is not one of your clinic's patients."
        )
    if not user_can(by, Action.ENTER_DIARY):
        raise refuse(
            Reason.WRITER_NOT_ALLOWED, "Your role does not allow entering a patient's diary."
        )
    return True


def diary_start(patient: Patient) -> date:
    """The first day a diary entry may have: the patient's first course's start, or their
    birth if that is later (a record typed wrong)."""
    first = (
        Course.objects.filter(patient=patient)
        .order_by("started_on")
        .values_list("started_on", flat=True)
        .first()
    )
    return max(first, patient.date_of_birth) if first else patient.date_of_birth


def day_refusal(
    *, patient: Patient, day: date, today: date, start: date | None = None
) -> Refusal | None:
    """Why `day` cannot hold an entry, or None."""
    if day > today:
        return Refusal(
            Reason.DAY_IN_FUTURE,
            f"{day:%d %B %Y} has not happened yet: a diary day can be written on the day or later.",
            field="day",
        )
    if day < patient.date_of_birth:
        return Refusal(
            Reason.DAY_BEFORE_BIRTH, "That day is before the patient's birth.", field="day"
        )
    if day < (start or diary_start(patient)):
        return Refusal(
            Reason.DAY_BEFORE_COURSE,
            "That day is before the treatment course started: the diary begins with the course.",
            field="day",
        )
    return None
