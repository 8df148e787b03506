"""The patient books (or moves) their own re-treatment visit in the portal: only inside the
window (its edges from the clinic's settings), only a free time of a working clinician of
their clinic, and a refusal writes nothing. Staff booking is unchanged."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.roles import Role
from patients.models import Appointment
from patients.services import appointment_book, appointment_set_status
from tests.factories import PatientFactory, make_staff
from tests.journey import advance
from treatments import selectors, services
from treatments.models import Course, Reminder, ReminderKind, State

pytestmark = pytest.mark.django_db

# A Tuesday: day 69 after it is a Monday, day 70 a Tuesday (both working days).
SESSION = date(2026, 3, 3)


def on(day: int, hour: int = 9, minute: int = 0) -> datetime:
    """A moment `day` days after the session, in the clinic's time zone."""
    return timezone.make_aware(datetime.combine(SESSION + timedelta(days=day), time(hour, minute)))


@pytest.fixture
def walk(clinic, clinician, nurse, lot, consent_form):
    """A patient of the clinic with a portal login, walked to `to` with the session on SESSION."""

    def make(to: str = State.MAINTENANCE, *, session: date = SESSION):
        p = PatientFactory(clinic=clinic, responsible_clinician=clinician)
        p.user = get_user_model().objects.create_user(f"p{p.pk}", password="x-long-password-1")
        p.save()
        advance(
            Course.objects.get(patient=p), to, clinician=clinician, nurse=nurse, lot=lot,
            start=session,
        )  # fmt: skip
        return p

    return make


@pytest.fixture
def me(walk):
    return walk()


def self_book(patient, starts_at, clinician, *, today: int, by=None):
    """Book as the patient, on the day `today` days after the session (at noon)."""
    with time_machine.travel(on(today, 12), tick=False):
        return services.visit_self_book(
            patient=patient,
            by=by or patient.user,
            starts_at=starts_at,
            clinician_id=getattr(clinician, "pk", clinician),
        )


def written() -> tuple[int, int]:
    return Appointment.objects.count(), Reminder.objects.count()


def refused(code: str, *args, **kwargs) -> None:
    before = written()
    with pytest.raises(DomainError) as error:
        self_book(*args, **kwargs)
    assert error.value.codes == [code]
    assert written() == before


@pytest.mark.parametrize(
    ("window_weeks", "day", "allowed"),
    [
        (10, 69, False),
        (10, 70, True),
        (9, 62, False),
        (9, 63, True),
        (10, 84, True),
        (10, 85, False),
    ],
)
def test_only_a_day_inside_the_window_the_clinic_sets(
    me, clinic, clinician, window_weeks, day, allowed
):
    clinic.settings.retreatment_window_weeks = window_weeks
    clinic.settings.save()
    if not allowed:
        refused("self_booking_outside_window", me, on(day), clinician, today=60)
        return
    visit = self_book(me, on(day), clinician, today=60)
    assert (visit.kind, visit.status, visit.clinician, visit.booked_by) == (
        "injection",
        "booked",
        clinician,
        me.user,
    )
    assert (visit.starts_at, visit.ends_at - visit.starts_at) == (on(day), timedelta(minutes=30))
    reminder = Reminder.objects.get(appointment=visit)
    assert reminder.kind == ReminderKind.APPOINTMENT
    assert reminder.due_at == visit.starts_at - timedelta(hours=48)  # as staff booking does


def test_the_visit_takes_the_clinics_injection_length(me, clinic, clinician):
    clinic.settings.injection_minutes = 45
    clinic.settings.save()
    refused("slot_not_free", me, on(70, 9), clinician, today=60)  # 45-minute slots from 08:30
    visit = self_book(me, on(70, 10), clinician, today=60)
    assert visit.ends_at - visit.starts_at == timedelta(minutes=45)


def test_offered_from_fourteen_days_before_the_window_opens(me, clinician):
    refused("self_booking_closed", me, on(70), clinician, today=55)
    assert self_book(me, on(70), clinician, today=56).starts_at == on(70)


@pytest.mark.parametrize("to", [State.POST_CARE, State.INJECTION])
def test_only_in_maintenance(walk, clinician, to):
    refused("self_booking_closed", walk(to), on(70), clinician, today=75)


def test_an_overdue_patient_books_from_today_for_fourteen_days(me, clinician):
    # Due on day 84; on day 100 the days are 100 (from now on) to 113 (no lead time here).
    me.clinic.settings.self_booking_lead_hours = 0
    me.clinic.settings.save()
    refused("slot_not_free", me, on(100, 9), clinician, today=100)  # earlier today
    refused("self_booking_outside_window", me, on(114, 10), clinician, today=100)
    assert self_book(me, on(100, 14), clinician, today=100).starts_at == on(100, 14)
    assert self_book(me, on(113, 10), clinician, today=100).starts_at == on(113, 10)


def test_a_time_sooner_than_the_clinics_lead_time_is_not_offered(me, clinician):
    # Day 100 at noon, 24 hours' lead by default: today 14:00 and tomorrow up to noon are too
    # soon; the first time offered is after the lead.
    with time_machine.travel(on(100, 12), tick=False):
        offer = selectors.self_booking_offer(patient=me, now=timezone.now())
    assert offer is not None and min(s.starts_at for s in offer.slots) == on(101, 12, 30)
    refused("slot_not_free", me, on(100, 14), clinician, today=100)
    refused("slot_not_free", me, on(101, 12), clinician, today=100)
    assert self_book(me, on(101, 12, 30), clinician, today=100).starts_at == on(101, 12, 30)


def test_a_time_taken_meanwhile_is_refused_and_nothing_written(me, clinic, clinician, receptionist):
    other = PatientFactory(clinic=clinic)
    with time_machine.travel(on(60, 12), tick=False):
        services.visit_book(
            patient=other,
            by=receptionist,
            kind="consultation",
            starts_at=on(70, 9, 15),
            minutes=30,
            clinician=clinician,
        )
    refused("slot_not_free", me, on(70, 9), clinician, today=60)
    assert self_book(me, on(70, 9, 45), clinician, today=60).starts_at == on(70, 9, 45)


def test_a_room_taken_meanwhile_is_refused(me, clinic, clinician, receptionist):
    clinic.settings.rooms = "Room 1"
    clinic.settings.save()
    colleague = make_staff(clinic, Role.CLINICIAN)
    with time_machine.travel(on(60, 12), tick=False):
        services.visit_book(
            patient=PatientFactory(clinic=clinic),
            by=receptionist,
            kind="consultation",
            starts_at=on(70, 9),
            minutes=30,
            clinician=colleague,
            room="Room 1",
        )
    refused("slot_not_free", me, on(70, 9), clinician, today=60)
    assert self_book(me, on(70, 10), clinician, today=60).room == "Room 1"


def test_a_clash_with_the_patients_own_visit_is_refused(me, clinic, clinician, receptionist):
    colleague = make_staff(clinic, Role.CLINICIAN)
    with time_machine.travel(on(60, 12), tick=False):
        services.visit_book(
            patient=me, by=receptionist, kind="review", starts_at=on(70, 9), minutes=30,
            clinician=colleague,
        )  # fmt: skip
    refused("slot_not_free", me, on(70, 9), clinician, today=60)


def test_outside_the_clinicians_working_days_or_hours_is_refused(me, clinician):
    profile = clinician.staff_profile
    profile.work_days = [1, 2, 3, 4]  # not Fridays
    profile.work_starts = time(10, 0)
    profile.save()
    refused("slot_not_free", me, on(73, 10), clinician, today=60)  # day 73 is a Friday
    refused("slot_not_free", me, on(70, 9), clinician, today=60)  # before their hours
    refused("slot_not_free", me, on(70, 10, 10), clinician, today=60)  # not a slot's start
    assert self_book(me, on(70, 10), clinician, today=60).starts_at == on(70, 10)


def test_a_clinician_of_another_clinic_or_no_clinician_is_refused(me, other_clinic, clinic, nurse):
    stranger = make_staff(other_clinic, Role.CLINICIAN)
    refused("slot_not_free", me, on(70), stranger, today=60)
    refused("slot_not_free", me, on(70), nurse, today=60)  # works there, but no clinician
    refused("slot_not_free", me, on(70), 2**31 - 1, today=60)


def test_a_booked_injection_visit_is_moved(me, clinician, receptionist):
    with time_machine.travel(on(60, 12), tick=False):
        first = services.visit_book(
            patient=me, by=receptionist, kind="injection", starts_at=on(72, 11), minutes=30,
            clinician=clinician, room="Room 3",
        )  # fmt: skip
    moved = self_book(me, on(71, 14), clinician, today=60)
    first.refresh_from_db()
    assert (first.status, first.moved_to, first.status_note) == (
        "cancelled",
        moved,
        services.MOVED_BY_PATIENT,
    )
    assert (moved.status, moved.kind, moved.starts_at, moved.room) == (
        "booked",
        "injection",
        on(71, 14),
        "",  # the clinic lists no rooms: the old room is not carried over
    )
    assert moved.booking_note.startswith("Moved from 11:00 on ")
    assert Reminder.objects.get(appointment=first).cancelled_at is not None
    assert Reminder.objects.get(appointment=moved).cancelled_at is None
    # Moved again: the visit just booked is the one moved; one booked injection visit.
    again = self_book(me, on(76, 9), clinician, today=61)
    assert list(me.appointments.filter(kind="injection", status="booked")) == [again]


def test_a_refused_move_keeps_the_visit_as_it_was(me, clinician):
    first = self_book(me, on(72, 11), clinician, today=60)
    refused("self_booking_outside_window", me, on(90, 9), clinician, today=61)
    refused("slot_not_free", me, on(72, 11, 15), clinician, today=61)  # not a slot's start
    first.refresh_from_db()
    assert (first.status, first.moved_to) == ("booked", None)
    assert Reminder.objects.get(appointment=first).cancelled_at is None


def test_only_the_patient_books_their_own(walk, me, clinician, receptionist):
    them = walk()
    before = written()
    for patient, by in [(them, me.user), (me, them.user), (me, receptionist), (me, clinician)]:
        with pytest.raises(PermissionDenied):
            self_book(patient, on(70), clinician, today=60, by=by)
    assert written() == before


def test_a_patient_login_books_or_closes_no_one_elses_visit(me, walk, clinician, receptionist):
    them = walk()
    with time_machine.travel(on(60, 12), tick=False):
        theirs = services.visit_book(
            patient=them, by=receptionist, kind="review", starts_at=on(70), minutes=30
        )
        with pytest.raises(PermissionDenied):
            appointment_book(patient=them, by=me.user, kind="review", starts_at=on(71), minutes=30)
        with pytest.raises(PermissionDenied):
            appointment_set_status(
                appointment=theirs, by=me.user, status="cancelled", reason="Not me"
            )
        mine = services.visit_book(
            patient=me, by=receptionist, kind="review", starts_at=on(71), minutes=30
        )
        with pytest.raises(PermissionDenied):  # the patient never marks a visit attended
            appointment_set_status(appointment=mine, by=me.user, status="attended")


def test_staff_still_book_as_before(me, clinician, receptionist):
    with time_machine.travel(on(60, 12), tick=False):
        with pytest.raises(DomainError) as error:
            services.visit_book(
                patient=me, by=receptionist, kind="injection", starts_at=on(69), minutes=30
            )
        assert error.value.codes == ["booked_before_window"]
        early = services.visit_book(
            patient=me, by=clinician, kind="injection", starts_at=on(69), minutes=30,
            override_reason="Severe relapse",
        )  # fmt: skip
        assert early.booked_by == clinician and "Severe relapse" in early.booking_note
        # Staff book outside the portal's days and free times: their hours are theirs.
        late = services.visit_book(
            patient=me, by=receptionist, kind="injection", starts_at=on(73, 19), minutes=30
        )
    assert late.booked_by == receptionist


@pytest.mark.django_db(transaction=True)
def test_a_patient_and_reception_taking_one_slot_at_once_give_one_visit(
    walk, clinic, clinician, receptionist
):
    """The portal's booking and the desk's take the same locks (patient, clinician, clinic):
    pressed at once for one clinician's slot, one wins and the other is told it is taken."""
    import threading

    from django.db import connection

    me = walk()
    other = PatientFactory(clinic=clinic)
    slot = on(71, 10)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run(book) -> None:
        barrier.wait()
        try:
            book()
            outcomes.append("ok")
        except DomainError as error:
            outcomes.append(error.codes[0])
        finally:
            connection.close()

    with time_machine.travel(on(70, 12), tick=False):
        threads = [
            threading.Thread(
                target=run,
                args=(
                    lambda: services.visit_self_book(
                        patient=me, by=me.user, starts_at=slot, clinician_id=clinician.pk
                    ),
                ),
            ),
            threading.Thread(
                target=run,
                args=(
                    lambda: appointment_book(
                        patient=other,
                        by=receptionist,
                        kind="review",
                        starts_at=slot,
                        minutes=30,
                        clinician=clinician,
                    ),
                ),
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    # The desk is told the clinician is booked; the patient, that the time is no longer free.
    assert {o for o in outcomes if o != "ok"} <= {"appointment_clash", "slot_not_free"}
    assert Appointment.objects.filter(starts_at=slot, status="booked").count() == 1
