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
    services.appointment_close(appointment=first, by=receptionist, status="cancelled")
    assert Reminder.objects.get(appointment=first).cancelled_at is not None
    services.course_discontinue(
        course=Course.objects.get(patient=patient), by=clinician, reason="patient_choice"
    )
    assert Reminder.objects.get(appointment=second).cancelled_at is not None
