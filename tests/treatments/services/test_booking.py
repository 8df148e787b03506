"""Booking a visit from the staff pages makes its reminder, the clinic's hours before it; the
reminder goes with the visit when it is cancelled or the course stops."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from treatments import services
from treatments.models import Course, Reminder, ReminderKind

pytestmark = pytest.mark.django_db


def book(patient, by, *, days=7, kind="consultation"):
    return services.visit_book(
        patient=patient,
        by=by,
        kind=kind,
        starts_at=timezone.now() + timedelta(days=days),
        minutes=30,
    )


def test_a_booked_visit_is_reminded_the_clinics_hours_before(patient, receptionist, clinic):
    visit = book(patient, receptionist)
    reminder = Reminder.objects.get(appointment=visit)
    assert reminder.kind == ReminderKind.APPOINTMENT
    assert reminder.due_at == visit.starts_at - timedelta(hours=48)
    clinic.settings.appointment_reminder_hours = 24
    clinic.settings.save()
    later = book(patient, receptionist, days=9)
    assert Reminder.objects.get(appointment=later).due_at == later.starts_at - timedelta(hours=24)


def test_no_reminder_for_a_visit_too_soon_to_remind(patient, receptionist):
    visit = services.visit_book(
        patient=patient,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(hours=5),
        minutes=30,
    )
    assert not Reminder.objects.filter(appointment=visit).exists()


def test_the_reminder_goes_with_a_cancelled_visit_or_a_stopped_course(
    patient, receptionist, clinician
):
    first, second = book(patient, receptionist), book(patient, receptionist, days=14)
    services.appointment_close(
        appointment=first, by=receptionist, status="cancelled", reason="Patient asked"
    )
    assert Reminder.objects.get(appointment=first).cancelled_at is not None
    services.course_discontinue(
        course=Course.objects.get(patient=patient), by=clinician, reason="patient_choice"
    )
    assert Reminder.objects.get(appointment=second).cancelled_at is not None


def test_a_moved_visit_keeps_its_reason_and_its_reminder_moves_with_it(
    patient, receptionist, clinician
):
    visit = services.visit_book(
        patient=patient,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(days=7),
        minutes=40,
        clinician=clinician,
        room="Room 2",
    )
    to = visit.starts_at + timedelta(days=3, hours=1)
    moved = services.visit_move(
        appointment=visit, by=receptionist, starts_at=to, reason="  Patient is travelling "
    )
    visit.refresh_from_db()
    assert (visit.status, visit.moved_to, visit.status_note) == (
        "cancelled",
        moved,
        "Moved: Patient is travelling",
    )
    assert (moved.status, moved.starts_at, moved.ends_at - moved.starts_at) == (
        "booked",
        to,
        timedelta(minutes=40),
    )
    assert (moved.kind, moved.clinician, moved.room) == ("consultation", clinician, "Room 2")
    assert moved.booking_note.startswith("Moved from ") and "Patient is travelling" in (
        moved.booking_note
    )
    assert Reminder.objects.get(appointment=visit).cancelled_at is not None
    new_reminder = Reminder.objects.get(appointment=moved)
    assert new_reminder.cancelled_at is None
    assert new_reminder.due_at == to - timedelta(hours=48)


def test_a_move_by_a_few_minutes_is_not_a_clash_with_itself(patient, receptionist, clinician):
    visit = book(patient, receptionist)
    moved = services.visit_move(
        appointment=visit,
        by=receptionist,
        starts_at=visit.starts_at + timedelta(minutes=15),
        reason="Clinic running late",
    )
    assert moved.starts_at - visit.starts_at == timedelta(minutes=15)


@pytest.mark.parametrize("blocker", ["patient", "room"])
def test_a_refused_move_changes_nothing(patient, receptionist, clinic, blocker):
    from botoxcare.errors import DomainError
    from tests.factories import PatientFactory

    visit = services.visit_book(
        patient=patient,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(days=7),
        minutes=30,
        room="Room 1",
    )
    other = patient if blocker == "patient" else PatientFactory(clinic=clinic)
    taken = services.visit_book(
        patient=other,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(days=9),
        minutes=30,
        room="Room 1",
    )
    with pytest.raises(DomainError) as refused:
        services.visit_move(
            appointment=visit, by=receptionist, starts_at=taken.starts_at, reason="Swap"
        )
    assert refused.value.codes == ["appointment_clash" if blocker == "patient" else "room_taken"]
    visit.refresh_from_db()
    assert (visit.status, visit.moved_to, visit.status_note) == ("booked", None, "")
    assert Reminder.objects.get(appointment=visit).cancelled_at is None
    assert Reminder.objects.filter(appointment__patient=patient).count() == (
        2 if blocker == "patient" else 1
    )


def test_a_move_needs_a_reason_and_a_visit_still_to_come(patient, receptionist):
    from botoxcare.errors import DomainError

    visit = book(patient, receptionist)
    with pytest.raises(DomainError) as refused:
        services.visit_move(
            appointment=visit, by=receptionist, starts_at=visit.starts_at, reason="  "
        )
    assert refused.value.codes == ["reason_missing"]
    with pytest.raises(DomainError) as refused:
        services.visit_move(
            appointment=visit,
            by=receptionist,
            starts_at=visit.starts_at + timedelta(days=1),
            reason="Late",
            now=visit.starts_at + timedelta(minutes=5),
        )
    assert refused.value.codes == ["appointment_past"]
    services.appointment_close(
        appointment=visit, by=receptionist, status="cancelled", reason="Patient unwell"
    )
    visit.refresh_from_db()
    assert visit.status_note == "Patient unwell"
    with pytest.raises(DomainError) as refused:
        services.visit_move(
            appointment=visit, by=receptionist, starts_at=visit.starts_at, reason="Again"
        )
    assert refused.value.codes == ["appointment_not_booked"]
