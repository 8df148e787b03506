"""The times a patient may book (or move) their re-treatment visit in the portal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby

from django.utils import timezone

from patients.calendar import Slot
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.selectors import free_slots

from ..models import Course
from ..retreatment import BookingDays

# The portal's booking page shows free times on this many days from the first one allowed:
# two weeks and the due day, the whole window with the clinic's default weeks (10 to 12).
SELF_BOOKING_DAYS_SHOWN = 15


def injection_visit_next(*, patient: Patient, now: datetime) -> Appointment | None:
    """The patient's next booked injection visit still to come, if any: the one a booking in
    the portal moves (treatments.services.visit_self_book reads the same, locked)."""
    return (
        Appointment.objects.filter(
            patient=patient,
            kind=AppointmentKind.INJECTION,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
        )
        .select_related("clinician")
        .order_by("starts_at", "id")
        .first()
    )


@dataclass(frozen=True)
class SelfBooking:
    """What the portal's booking page offers: the days allowed, the free times on the first
    SELF_BOOKING_DAYS_SHOWN of them, and the visit a booking would move (if any)."""

    days: BookingDays
    slots: list[Slot]
    visit: Appointment | None

    @property
    def by_day(self) -> list[tuple[date, list[Slot]]]:
        """The free times grouped by their day (the clinic's), first day first."""
        return [
            (on, list(slots))
            for on, slots in groupby(self.slots, key=lambda s: timezone.localdate(s.starts_at))
        ]


def self_booking_offer(*, patient: Patient, now: datetime) -> SelfBooking | None:
    """The patient's own booking in the portal, or None when `Course.self_booking_days` of
    their latest course offers none today. Times are `free_slots` of the clinic's injection
    visit length, less any that overlap the patient's other booked visits. At most seven
    queries, however many clinicians, rooms and visits."""
    course = (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related("sessions")
        .order_by("-started_on", "-id")
        .first()
    )
    if course is None:
        return None
    allowed = course.self_booking_days(timezone.localdate(now))
    if allowed is None:
        return None
    patient = course.patient
    clinic = patient.clinic
    shown = allowed.days[:SELF_BOOKING_DAYS_SHOWN]
    minutes = clinic.settings.minutes_for(AppointmentKind.INJECTION)
    visit = injection_visit_next(patient=patient, now=now)
    others = Appointment.objects.filter(
        patient=patient, status=AppointmentStatus.BOOKED, ends_at__gt=now
    )
    if visit is not None:
        others = others.exclude(pk=visit.pk)  # a booking moves it: no clash with itself
    own = [(v.starts_at, v.ends_at) for v in others]
    length = timedelta(minutes=minutes)
    slots = [
        s
        for s in free_slots(
            clinic=clinic,
            days=shown,
            minutes=minutes,
            now=clinic.settings.self_booking_earliest(now),
        )
        if not any(start < s.starts_at + length and s.starts_at < end for start, end in own)
    ]
    return SelfBooking(days=allowed, slots=slots, visit=visit)
