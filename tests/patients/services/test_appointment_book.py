"""Booking appointments: overlapping visits are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from botoxcare.errors import DomainError
from patients import services
from patients.reasons import Reason
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def test_overlapping_visits_are_refused(booked, patient, receptionist, clinician, clinic):
    other = PatientFactory(clinic=clinic)
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            patient=other,
            by=receptionist,
            kind="consultation",
            clinician=clinician,
            starts_at=booked.starts_at + timedelta(minutes=15),
            minutes=30,
        )
    assert refused.value.codes == [Reason.APPOINTMENT_CLASH]
    assert refused.value.refusals[0].message.startswith("The clinician")
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            patient=patient,
            by=receptionist,
            kind="review",
            starts_at=booked.starts_at - timedelta(minutes=10),
            minutes=20,
        )
    assert refused.value.codes == [Reason.APPOINTMENT_CLASH]
    assert refused.value.refusals[0].message.startswith("The patient")
    # Back to back is fine.
    services.appointment_book(
        patient=other,
        by=receptionist,
        kind="consultation",
        clinician=clinician,
        starts_at=booked.ends_at,
        minutes=30,
    )
