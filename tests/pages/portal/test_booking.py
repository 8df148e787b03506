"""The portal's booking page: offered at the window's edges only, the free times by day, a
strict reading of the time posted (never a 500), and the clinic's own clinicians only."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from botoxcare.roles import Role
from patients.models import Appointment
from tests.factories import PatientFactory, make_staff
from tests.journey import advance
from treatments import services
from treatments.models import Course, Reminder, State

pytestmark = pytest.mark.django_db

URL = reverse("portal:book")
SESSION = date(2026, 3, 3)  # a Tuesday


def on(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(SESSION + timedelta(days=day), time(hour, minute)))


def value(moment: datetime, clinician) -> str:
    return f"{timezone.localtime(moment).isoformat()}|{getattr(clinician, 'pk', clinician)}"


@pytest.fixture
def walk(clinic, clinician, nurse, lot, consent_form):
    def make(to: str = State.MAINTENANCE):
        p = PatientFactory(clinic=clinic, responsible_clinician=clinician)
        p.user = get_user_model().objects.create_user(f"p{p.pk}", password="x-long-password-1")
        p.save()
        course = Course.objects.get(patient=p)
        advance(course, to, clinician=clinician, nurse=nurse, lot=lot, start=SESSION)
        return p

    return make


@pytest.fixture
def me(walk):
    return walk()


@pytest.fixture
def day_of():
    """Travel to noon on `day` days after the session, for the test's rest."""
    travels = []

    def go(day: int) -> None:
        travel = time_machine.travel(on(day, 12), tick=False)
        travel.start()
        travels.append(travel)

    yield go
    for travel in reversed(travels):
        travel.stop()


def home(client) -> str:
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("day", "shown"),
    [(55, False), (56, True), (70, True), (84, True), (120, True)],
)
def test_the_call_to_book_shows_from_fourteen_days_before_the_window(
    me, client_for, day_of, day, shown
):
    day_of(day)
    page = home(client_for(me.user))
    assert ('data-cta="self-book"' in page) is shown
    assert ("Book your next session" in page) is shown
    response = client_for(me.user).get(URL)
    if shown:
        assert response.status_code == 200
    else:
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_no_call_to_book_outside_maintenance(walk, client_for, day_of):
    patient = walk(State.POST_CARE)
    day_of(70)
    assert 'data-cta="self-book"' not in home(client_for(patient.user))
    assert client_for(patient.user).get(URL).status_code == 302


def test_a_booked_session_is_offered_to_move(me, client_for, day_of, clinician, receptionist):
    day_of(60)
    services.visit_book(
        patient=me, by=receptionist, kind="injection", starts_at=on(72, 11), minutes=30,
        clinician=clinician,
    )  # fmt: skip
    page = home(client_for(me.user))
    assert "Move your next session" in page and "Book your next session" not in page
    page = client_for(me.user).get(URL).content.decode()
    assert "Move my session to this time" in page and "Thursday 14 May 2026, 11:00" in page


def test_the_page_lists_free_times_by_day_inside_the_window(
    me, client_for, day_of, clinician, clinic
):
    colleague = make_staff(clinic, Role.CLINICIAN)
    colleague.staff_profile.work_days = [3]  # Wednesdays only
    colleague.staff_profile.save()
    day_of(60)
    page = client_for(me.user).get(URL).content.decode()
    assert 'data-window="2026-05-12/2026-05-26"' in page
    days = [chunk.split('"')[0] for chunk in page.split('data-day="')[1:]]
    # The weekdays from day 70 to day 84; the first one is open, the others folded.
    assert days[0] == "2026-05-12" and days[-1] == "2026-05-26" and len(days) == 11
    assert "2026-05-16" not in days  # a Saturday
    assert page.index('data-day="2026-05-12"') < page.index('data-day="2026-05-13"')
    assert f'value="{value(on(70, 8, 30), clinician)}"' in page
    assert f'value="{value(on(71, 8, 30), colleague)}"' in page  # a Wednesday
    assert f'value="{value(on(70, 8, 30), colleague)}"' not in page
    assert f"with {clinician.get_full_name()}" in page
    assert page.count("<details") == 11 and page.count('<details class="instructions" open') == 1
    assert "<legend>Free times, by day</legend>" in page


def test_booking_a_time_goes_home_with_the_day_and_time(me, client_for, day_of, clinician):
    day_of(60)
    client = client_for(me.user)
    response = client.post(URL, {"slot": value(on(70, 14), clinician)}, follow=True)
    assert response.redirect_chain == [(reverse("portal:home"), 302)]
    page = response.content.decode()
    assert "Your next session is booked for Tuesday 12 May 2026 at 14:00." in page
    visit = Appointment.objects.get(patient=me, kind="injection")
    assert (visit.starts_at, visit.clinician, visit.status) == (on(70, 14), clinician, "booked")
    assert Reminder.objects.filter(appointment=visit).exists()
    assert "Move your next session" in page
    moved = client.post(URL, {"slot": value(on(71, 9), clinician)}, follow=True)
    assert "Your next session is moved to Wednesday 13 May 2026 at 09:00." in (
        moved.content.decode()
    )
    visit.refresh_from_db()
    assert visit.status == "cancelled" and visit.moved_to is not None


BAD_VALUES = [
    "",
    "x",
    "2026-05-12T14:00:00+01:00",
    "2026-05-12T14:00:00+01:00|",
    "2026-05-12T14:00:00|{pk}",  # no time zone
    "2026-05-12T14:00:00+01:00|abc",
    "2026-05-12T14:00:00+01:00|-1",
    "2026-05-12T14:00:00+01:00|99999999999999999999",
    "2026-05-12T14:00:00+01:00|٣",
    "9999-12-31T23:59:59-05:00|{pk}",
    "0001-01-01T00:00:00+01:00|{pk}",
    "tomorrow|{pk}",
    "2026-05-12T14:00:00+01:00|{pk}|{pk}",
]


@pytest.mark.parametrize("bad", BAD_VALUES)
def test_a_bad_time_is_a_clear_message_and_books_nothing(me, client_for, day_of, clinician, bad):
    day_of(60)
    response = client_for(me.user).post(URL, {"slot": bad.format(pk=clinician.pk)})
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        'data-refusal="slot_invalid"' in page
        or 'data-refusal="required"' in page
        or ('data-refusal="slot_not_free"' in page)
    )
    assert "Not booked yet." in page
    assert not Appointment.objects.filter(patient=me, kind="injection").exists()


@pytest.mark.parametrize("whose", ["another clinic's", "no clinician"])
def test_a_clinician_of_another_clinic_is_refused(
    me, client_for, day_of, other_clinic, nurse, whose
):
    someone = make_staff(other_clinic, Role.CLINICIAN) if whose == "another clinic's" else nurse
    day_of(60)
    before = Appointment.objects.count(), Reminder.objects.count()
    response = client_for(me.user).post(URL, {"slot": value(on(70, 14), someone)})
    assert response.status_code == 400
    assert 'data-refusal="slot_not_free"' in response.content.decode()
    assert (Appointment.objects.count(), Reminder.objects.count()) == before


def test_a_time_outside_the_window_is_refused(me, client_for, day_of, clinician):
    day_of(60)
    response = client_for(me.user).post(URL, {"slot": value(on(69, 14), clinician)})
    assert response.status_code == 400
    assert 'data-refusal="self_booking_outside_window"' in response.content.decode()


def test_a_time_taken_meanwhile_is_refused_and_the_list_is_fresh(
    me, client_for, day_of, clinician, clinic, receptionist
):
    day_of(60)
    services.visit_book(
        patient=PatientFactory(clinic=clinic), by=receptionist, kind="review",
        starts_at=on(70, 14), minutes=30, clinician=clinician,
    )  # fmt: skip
    response = client_for(me.user).post(URL, {"slot": value(on(70, 14), clinician)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="slot_not_free"' in page
    assert f'value="{value(on(70, 14), clinician)}"' not in page
    assert f'value="{value(on(70, 14, 30), clinician)}"' in page


def test_no_free_time_says_to_call_the_clinic(me, client_for, day_of, clinician):
    clinician.staff_profile.work_days = []
    clinician.staff_profile.save()
    day_of(60)
    page = client_for(me.user).get(URL).content.decode()
    assert 'data-empty="no-slots"' in page
    assert 'href="tel:02079460000"' in page and "<form" not in page.split('id="slots-h"')[1]


def test_staff_and_strangers_have_no_booking_page(client, client_for, clinician, receptionist):
    for user in (clinician, receptionist):
        assert client_for(user).get(URL).status_code == 404
        assert client_for(user).post(URL, {"slot": "x"}).status_code == 404
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_reads_a_bounded_number_of_queries(
    me, walk, client_for, day_of, clinic, clinician, receptionist, django_assert_max_num_queries
):
    clinic.settings.rooms = "Room 1\nRoom 2"
    clinic.settings.save()
    colleagues = [make_staff(clinic, Role.CLINICIAN) for _ in range(3)]
    day_of(60)
    for n, who in enumerate([clinician, *colleagues] * 3):
        services.visit_book(
            patient=PatientFactory(clinic=clinic), by=receptionist, kind="review",
            starts_at=on(70 + n, 10 + n % 5), minutes=30, clinician=who,
            room=f"Room {1 + n % 2}",
        )  # fmt: skip
    client = client_for(me.user)
    # One writes the audit event; one asks whether the patient set up two-factor sign-in.
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count('type="radio"') > 100
