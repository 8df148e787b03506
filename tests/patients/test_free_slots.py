"""The free slots a visit can take: inside a clinician's working hours, clear of their visits,
and with a free room when the clinic lists rooms."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from botoxcare.roles import Role
from patients.selectors import free_slots
from patients.services import appointment_book
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
WEDNESDAY = date(2026, 12, 9)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime.combine(WEDNESDAY, time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def monday_morning():
    with time_machine.travel(datetime(2026, 12, 7, 9, 0, tzinfo=LONDON), tick=False):
        yield


def slots_at(clinic, hour, minute=0):
    found = free_slots(clinic=clinic, days=[WEDNESDAY], minutes=30, now=at(0))
    return {(s.clinician_id, s.room) for s in found if s.starts_at == at(hour, minute)}


def test_a_slot_needs_the_clinician_free_and_a_room_free(clinic, clinician, receptionist, patient):
    clinic.settings.rooms = "Room 1"
    clinic.settings.save()
    other = make_staff(clinic, Role.CLINICIAN)
    appointment_book(
        patient=patient,
        by=receptionist,
        kind="injection",
        starts_at=at(9),
        minutes=30,
        clinician=clinician,
        room="Room 1",
    )
    assert slots_at(clinic, 9) == set()  # the clinician is busy, and so is the only room
    assert slots_at(clinic, 9, 30) == {(clinician.pk, "Room 1"), (other.pk, "Room 1")}


def test_without_rooms_listed_a_slot_has_none(clinic, clinician):
    assert slots_at(clinic, 8, 30) == {(clinician.pk, "")}
    assert slots_at(clinic, 16, 30) == {(clinician.pk, "")}
    assert slots_at(clinic, 17) == set()  # the clinic's day has ended


def test_a_clinicians_day_off_and_hours_are_kept(clinic, clinician):
    clinician.staff_profile.work_days = [1, 2]  # not Wednesdays
    clinician.staff_profile.save()
    assert free_slots(clinic=clinic, days=[WEDNESDAY], minutes=30, now=at(0)) == []
    clinician.staff_profile.work_days = [3]
    clinician.staff_profile.work_starts = time(12)
    clinician.staff_profile.save()
    found = free_slots(clinic=clinic, days=[WEDNESDAY], minutes=30, now=at(0))
    assert found[0].starts_at == at(12) and found[-1].starts_at == at(16, 30)


def test_no_slot_is_offered_in_the_past(clinic, clinician):
    assert free_slots(clinic=clinic, days=[WEDNESDAY], minutes=30, now=at(16, 50)) == []
