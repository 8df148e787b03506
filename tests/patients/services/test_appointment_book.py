"""Booking appointments: overlapping visits are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from botoxcare.errors import DomainError
from botoxcare.roles import Role
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


def test_a_room_is_booked_once_at_a_time_in_its_clinic(receptionist, clinic, other_clinic):
    from django.utils import timezone

    from tests.factories import make_staff

    when = timezone.now() + timedelta(days=3)
    first = PatientFactory(clinic=clinic)
    services.appointment_book(
        patient=first, by=receptionist, kind="injection", starts_at=when, minutes=30, room="Room 2"
    )
    second = PatientFactory(clinic=clinic)
    with pytest.raises(DomainError) as refused:
        services.appointment_book(
            patient=second,
            by=receptionist,
            kind="consultation",
            starts_at=when + timedelta(minutes=10),
            minutes=30,
            room=" room 2 ",
        )
    assert refused.value.codes == [Reason.ROOM_TAKEN]
    assert refused.value.refusals[0].field == "room"
    # Another room, the same room right after, or the same name in another clinic: fine.
    services.appointment_book(
        patient=second,
        by=receptionist,
        kind="consultation",
        starts_at=when,
        minutes=30,
        room="Room 3",
    )
    services.appointment_book(
        patient=PatientFactory(clinic=clinic),
        by=receptionist,
        kind="consultation",
        starts_at=when + timedelta(minutes=30),
        minutes=20,
        room="Room 2",
    )
    north = make_staff(other_clinic, Role.RECEPTIONIST)
    services.appointment_book(
        patient=PatientFactory(clinic=other_clinic),
        by=north,
        kind="consultation",
        starts_at=when,
        minutes=30,
        room="Room 2",
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("shared", ["room", "clinician"])
def test_two_bookings_at_once_of_one_room_or_clinician_give_one_visit(clinic, shared):
    import threading

    from django.db import connection
    from django.utils import timezone

    from patients.models import Appointment
    from tests.factories import make_staff

    desk = [make_staff(clinic, Role.RECEPTIONIST) for _ in range(4)]
    doctor = make_staff(clinic, Role.CLINICIAN)
    patients = [PatientFactory(clinic=clinic) for _ in desk]
    when = timezone.now() + timedelta(days=2)
    barrier = threading.Barrier(len(desk))
    outcomes: list[str] = []

    def book(by, patient):
        barrier.wait()
        try:
            services.appointment_book(
                patient=patient,
                by=by,
                kind="consultation",
                starts_at=when,
                minutes=30,
                room="Room 2" if shared == "room" else "",
                clinician=doctor if shared == "clinician" else None,
            )
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.codes[0])
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=pair) for pair in zip(desk, patients, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("ok") == 1 and len(outcomes) == 4
    assert Appointment.objects.count() == 1
