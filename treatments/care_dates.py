"""A record of care is dated within the course it belongs to: not before the patient was born
and not before the course started (the referral). Pure; the record services call it inside
their lock, before any arithmetic on the date. (Not in the future is the form's and the
step's own rule, each with its code.)"""

from __future__ import annotations

from datetime import date

from botoxcare.errors import DomainError, Refusal

from .models import Course
from .reasons import Reason


def care_date_refusals(course: Course, day: date, *, field: str) -> list[Refusal]:
    born, started = course.patient.date_of_birth, course.started_on
    if day < born:
        return [Refusal(Reason.BEFORE_BIRTH, "This date is before the patient's birth.", field)]
    if day < started:
        return [
            Refusal(
                Reason.BEFORE_COURSE_START,
                f"This date is before the treatment course started ({started:%d %b %Y}).",
                field,
            )
        ]
    return []


def care_date_check(course: Course, day: date, *, field: str) -> None:
    """Raises DomainError with the refusal of `care_date_refusals`, if any."""
    refusals = care_date_refusals(course, day, field=field)
    if refusals:
        raise DomainError(*refusals)
