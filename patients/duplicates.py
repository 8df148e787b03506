"""The duplicate check of registration, one definition for the form (which asks) and the
service (which re-checks under the clinic's lock, so two registrations racing each other
cannot both pass it)."""

from __future__ import annotations

from datetime import date

from botoxcare.models import Clinic

from .models import Patient


def twin_of(
    *, clinic: Clinic, first_name: str, last_name: str, date_of_birth: date
) -> Patient | None:
    """A registered patient of the clinic with the same name (without case or surrounding
    spaces) and date of birth: probably the same person, whatever their identifier."""
    return Patient.objects.filter(
        clinic=clinic,
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    ).first()
