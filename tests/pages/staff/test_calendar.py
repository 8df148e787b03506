"""The appointment calendar: each clinician's (or room's) day and week with its visits and
free time inside working hours; booking a free slot; a day's begun visits marked attended."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from botoxcare.roles import Role
from patients.models import Appointment, AppointmentStatus
from patients.services import appointment_book
from tests.factories import PatientFactory, make_staff

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
TUESDAY = date(2026, 12, 8)


def at(hour: int, minute: int = 0, day: date = TUESDAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


@pytest.fixture(autouse=True)
def ten_past_ten():
    with time_machine.travel(at(10, 5), tick=False):
        yield


def book(patient, by, start, minutes=30, **more):
    return appointment_book(
        patient=patient, by=by, kind="injection", starts_at=start, minutes=minutes, **more
    )


def calendar(client, **params):
    return client.get(reverse("staff:calendar"), params)


def test_the_day_shows_each_clinicians_visits_and_free_time_ahead(
    client_for, clinic, clinician, receptionist, patient
):
    mondays = make_staff(clinic, Role.CLINICIAN)
    mondays.staff_profile.work_days = [1]
    mondays.staff_profile.save()
    early = book(patient, receptionist, at(9), clinician=clinician)
    later = book(patient, receptionist, at(11), clinician=clinician)
    response = calendar(client_for(receptionist), date="2026-12-08")
    page = response.content.decode()
    assert response.status_code == 200
    mine = page.split(f'data-line="{clinician.pk}"')[1].split("</section>")[0]
    assert f'data-visit="{early.pk}"' in mine and f'data-visit="{later.pk}"' in mine
    # Free from the next quarter hour until the 11:00 visit, then after it to 17:00.
    assert re.findall(r'data-free="([^"]+)"', mine) == [
        "2026-12-08T10:15:00+00:00",
        "2026-12-08T11:30:00+00:00",
    ]
    theirs = page.split(f'data-line="{mondays.pk}"')[1].split("</section>")[0]
    assert "Not working" in theirs and "data-free" not in theirs
    # The begun visit is closed from here; the later one can be moved.
    assert reverse("treatments:appointment-status", args=[patient.pk, early.pk]) in mine
    assert reverse("staff:appointment-move", args=[patient.pk, later.pk]) in mine


def test_a_clinicians_own_hours_bound_their_free_time(client_for, clinic, clinician, receptionist):
    clinician.staff_profile.work_starts = time(13, 0)
    clinician.staff_profile.work_ends = time(15, 0)
    clinician.staff_profile.save()
    page = calendar(client_for(receptionist), date="2026-12-09", key=str(clinician.pk))
    assert re.findall(r'data-free="([^"]+)"', page.content.decode()) == [
        "2026-12-09T13:00:00+00:00"
    ]
    assert "13:00\u201315:00" in page.content.decode()  # an en dash


def test_the_week_of_one_clinician_runs_monday_to_sunday(client_for, clinician, receptionist):
    page = calendar(client_for(receptionist), view="week", date="2026-12-10").content.decode()
    days = re.findall(r'data-day="([^"]+)"', page)
    assert days == [f"2026-12-{d:02d}" for d in range(7, 14)]
    assert page.count("Not working") == 2  # the weekend
    assert f"{clinician.get_full_name()}, week of 7 December 2026" in page


def test_rooms_show_the_visits_booked_in_them(client_for, clinic, clinician, receptionist, patient):
    clinic.settings.rooms = "Room 1\nRoom 2\nroom 1\n"
    clinic.settings.save()
    visit = book(patient, receptionist, at(14), clinician=clinician, room="Room 1")
    page = calendar(client_for(receptionist), by="room", date="2026-12-08").content.decode()
    room_one = page.split('data-line="Room 1"')[1].split("</section>")[0]
    room_two = page.split('data-line="Room 2"')[1].split("</section>")[0]
    assert f'data-visit="{visit.pk}"' in room_one and "data-visit" not in room_two
    assert page.count("data-line=") == 2  # 'room 1' is the same room


def test_a_room_or_clinician_of_no_one_here_is_a_404(client_for, other_clinic, receptionist):
    stranger = make_staff(other_clinic, Role.CLINICIAN)
    client = client_for(receptionist)
    assert calendar(client, key=str(stranger.pk)).status_code == 404
    assert calendar(client, by="room", key="Room 9").status_code == 404
    book_page = client.get(
        reverse("staff:calendar-book"),
        {"starts_at": "2026-12-09T10:00", "clinician": stranger.pk},
    )
    assert book_page.status_code == 404


def test_a_bad_date_or_view_shows_today(client_for, receptionist):
    response = calendar(client_for(receptionist), date="2026-13-45", view="month", by="bed")
    assert response.status_code == 200
    assert "Tuesday 8 December 2026" in response.content.decode()


def test_the_calendar_is_for_staff_only(client_for, patient, django_user_model):
    user = django_user_model.objects.create_user("pat", password="x")
    patient.user = user
    patient.save()
    assert calendar(client_for(user)).status_code == 404


def test_the_day_reads_in_a_fixed_number_of_queries(
    client_for, clinic, clinician, receptionist, django_assert_max_num_queries
):
    client = client_for(receptionist)
    calendar(client)  # warm the session
    for n in range(12):
        other = make_staff(clinic, Role.CLINICIAN)
        person = PatientFactory(clinic=clinic)
        book(person, receptionist, at(11) + timedelta(minutes=40 * n), clinician=other)
    with django_assert_max_num_queries(10):  # the two-factor device; the audit event
        response = calendar(client, date="2026-12-08")
    assert response.content.decode().count("data-visit=") == 12


def test_booking_a_free_slot_finds_the_patient_and_fills_the_form(
    client_for, clinic, other_clinic, clinician, receptionist, patient
):
    clinic.settings.rooms = "Room 1"
    clinic.settings.save()
    PatientFactory(clinic=other_clinic, last_name=patient.last_name)  # never found here
    client = client_for(receptionist)
    slot = {"starts_at": "2026-12-09T14:00", "clinician": clinician.pk, "room": "Room 1"}
    url = reverse("staff:calendar-book") + "?" + "&".join(f"{k}={v}" for k, v in slot.items())
    found = client.post(url, {"q": patient.last_name}).content.decode()
    links = re.findall(r'href="(/patients/\d+/appointments/new/[^"]+)"', found)
    assert len(links) == 1 and f"/patients/{patient.pk}/" in links[0]
    form = client.get(links[0].replace("&amp;", "&")).content.decode()
    assert 'value="2026-12-09T14:00"' in form
    assert f'<option value="{clinician.pk}" selected>' in form
    assert '<option value="Room 1" selected>' in form
    back = re.search(r'name="next" value="([^"]+)"', form).group(1).replace("&amp;", "&")
    assert back == reverse("staff:calendar") + "?date=2026-12-09"
    done = client.post(
        links[0].replace("&amp;", "&"),
        {
            "kind": "injection",
            "starts_at": "2026-12-09T14:00",
            "clinician": clinician.pk,
            "room": "Room 1",
            "next": back,
        },
    )
    assert done.status_code == 302 and done.url == back  # back to the day it was booked from
    visit = Appointment.objects.get(patient=patient)
    assert (visit.starts_at, visit.clinician, visit.room) == (
        at(14, day=date(2026, 12, 9)),
        clinician,
        "Room 1",
    )
    day = calendar(client, date="2026-12-09").content.decode()
    assert f'data-visit="{visit.pk}"' in day


def test_a_days_begun_visits_are_marked_attended_in_one_action(
    client_for, clinician, receptionist, patient
):
    other = PatientFactory(clinic=patient.clinic)
    begun = book(patient, receptionist, at(9), clinician=clinician)
    also = book(other, receptionist, at(9, 30), minutes=20)
    ahead = book(other, receptionist, at(15))
    client = client_for(receptionist)
    page = calendar(client, date="2026-12-08").content.decode()
    assert "Mark the 2 visits begun on 8 December attended" in page
    back = reverse("staff:calendar") + "?view=day&by=clinician&key=&date=2026-12-08"
    shown = re.findall(r'name="visit" value="(\d+)"', page)
    assert sorted(map(int, shown)) == sorted([begun.pk, also.pk])
    response = client.post(
        reverse("treatments:open-visits"), {"day": "2026-12-08", "next": back, "visit": shown}
    )
    assert response.status_code == 302 and response.url == back
    statuses = {a.pk: a.status for a in Appointment.objects.all()}
    assert statuses == {
        begun.pk: AppointmentStatus.ATTENDED,
        also.pk: AppointmentStatus.ATTENDED,
        ahead.pk: AppointmentStatus.BOOKED,
    }
    assert "Mark the" not in calendar(client, date="2026-12-08").content.decode()


def test_one_clinicians_day_closes_only_their_visits(client_for, clinic, clinician, receptionist):
    colleague = make_staff(clinic, Role.CLINICIAN)
    mine = book(PatientFactory(clinic=clinic), receptionist, at(9), clinician=clinician)
    theirs = book(PatientFactory(clinic=clinic), receptionist, at(9), clinician=colleague)
    client = client_for(receptionist)
    page = calendar(client, date="2026-12-08", key=str(clinician.pk)).content.decode()
    assert "Mark the 1 visit begun on 8 December attended" in page
    shown = re.findall(r'name="visit" value="(\d+)"', page)
    client.post(reverse("treatments:open-visits"), {"day": "2026-12-08", "visit": shown})
    statuses = dict(Appointment.objects.values_list("pk", "status"))
    assert statuses == {mine.pk: "attended", theirs.pk: "booked"}
    # Ids the page did not show, or of another day, close nothing either.
    client.post(reverse("treatments:open-visits"), {"day": "2026-12-07", "visit": [theirs.pk]})
    assert Appointment.objects.get(pk=theirs.pk).status == "booked"


def test_marking_a_day_with_a_bad_date_or_an_outside_address_changes_nothing(
    client_for, receptionist, patient, clinician
):
    visit = book(patient, receptionist, at(9), clinician=clinician)
    client = client_for(receptionist)
    response = client.post(
        reverse("treatments:open-visits"), {"day": "yesterday", "next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == reverse("treatments:open-visits")
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED


@pytest.mark.parametrize(
    "params",
    [
        {"date": "0001-01-01"},
        {"date": "9999-12-31"},
        {"date": "9999-12-31", "view": "week"},
        {"date": "0001-01-01", "view": "week"},
    ],
)
def test_dates_at_the_ends_of_the_calendar_show_today(client_for, receptionist, params):
    response = calendar(client_for(receptionist), **params)
    assert response.status_code == 200
    week = params.get("view") == "week"
    assert ("week of 7 December 2026" if week else "8 December 2026") in response.content.decode()


@pytest.mark.parametrize("when", ["2026-02-30T10:00", "2026-12-08T25:00", "0001-01-01T00:00"])
def test_an_impossible_slot_time_is_a_404_not_a_crash(client_for, receptionist, patient, when):
    client = client_for(receptionist)
    assert client.get(reverse("staff:calendar-book"), {"starts_at": when}).status_code == 404
    form = client.get(reverse("staff:appointment-new", args=[patient.pk]), {"starts_at": when})
    assert form.status_code == 200  # the booking form, empty


def test_switching_between_clinicians_and_rooms_keeps_the_view_working(
    client_for, clinic, clinician, receptionist
):
    clinic.settings.rooms = "Room 1"
    clinic.settings.save()
    client = client_for(receptionist)
    rooms = calendar(client, view="week", by="room", key=str(clinician.pk))
    assert rooms.status_code == 200 and "Room 1, week of" in rooms.content.decode()
    people = calendar(client, by="clinician", key="Room 1")
    assert people.status_code == 200 and f'data-line="{clinician.pk}"' in people.content.decode()


def test_a_slot_picked_on_a_clinicians_line_proposes_a_room_free_then(
    client_for, clinic, clinician, receptionist, patient
):
    clinic.settings.rooms = "Room 1\nRoom 2"
    clinic.settings.save()
    other = PatientFactory(clinic=clinic)
    book(other, receptionist, at(14, day=date(2026, 12, 9)), room="Room 1")
    client = client_for(receptionist)
    url = reverse("staff:calendar-book") + f"?starts_at=2026-12-09T14:00&clinician={clinician.pk}"
    page = client.post(url, {"q": patient.last_name}).content.decode()
    assert "Room 2" in page.split("<h1>")[1].split("</p>")[0]  # the slot's line names it
    link = re.findall(r'href="(/patients/\d+/appointments/new/[^"]+)"', page)[0]
    assert "room=Room+2" in link


# --- the entries written once a page (pages/staff/calendar_html.py) -------------------------

TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+"')


def test_a_begun_visits_form_is_the_shared_outcome_form(client_for, clinician, receptionist):
    """The calendar writes each begun visit's outcome form itself (a hundred a day through the
    include were most of the page's time): it must be the include's, byte for byte."""
    from django.template.loader import render_to_string

    from patients.models import CLOSING_STATUSES

    person = PatientFactory(first_name="Ann & <b>", last_name="O'Brien")
    person.clinic = clinician.staff_profile.clinic
    person.save()
    visit = book(person, receptionist, at(9), clinician=clinician)
    page = calendar(client_for(receptionist), date="2026-12-08").content.decode()
    written = re.search(r'\n<form method="post" action="[^"]+/status/".*?</form>\n', page, re.S)
    back = reverse("staff:calendar") + "?view=day&by=clinician&key=&date=2026-12-08"
    included = render_to_string(
        "includes/visit_outcome_form.html",
        {
            "ap": Appointment.objects.select_related("patient").get(pk=visit.pk),
            "prefix": "st",
            "next": back,
            "closing_statuses": CLOSING_STATUSES,
            "csrf_token": "token",
        },
    )
    assert written is not None
    assert TOKEN.sub(r'\1"', written.group(0)) == TOKEN.sub(r'\1"', included)
    assert "Ann &amp; &lt;b&gt; O&#x27;Brien" in written.group(0)


def test_names_rooms_and_statuses_are_escaped_in_the_entries(
    client_for, clinic, clinician, receptionist
):
    clinic.settings.rooms = "Room <1> & co"
    clinic.settings.save()
    person = PatientFactory(clinic=clinic, first_name="<script>", last_name="O'Neil")
    ahead = book(person, receptionist, at(15), clinician=clinician, room="Room <1> & co")
    done = book(person, receptionist, at(9), clinician=clinician)
    Appointment.objects.filter(pk=done.pk).update(status=AppointmentStatus.DID_NOT_ATTEND)
    client = client_for(receptionist)
    page = calendar(client, date="2026-12-08").content.decode()
    assert "<script>" not in page and "&lt;script&gt; O&#x27;Neil" in page
    line = page.split(f'data-visit="{ahead.pk}"')[1].split("</li>")[0]
    assert " · Room &lt;1&gt; &amp; co" in line
    move = reverse("staff:appointment-move", args=[person.pk, ahead.pk])
    assert f'href="{move}?next=/calendar/%3Fview%3Dday%26by%3Dclinician' in line
    assert "&lt;script&gt; O'Neil's visit at 15:00" not in line  # the name is escaped
    assert "&lt;script&gt; O&#x27;Neil's visit at 15:00" in line
    closed = page.split(f'data-visit="{done.pk}"')[1].split("</li>")[0]
    assert '<span class="badge">did not attend</span>' in closed and "appt-status" not in closed
    rooms = calendar(client, date="2026-12-08", by="room").content.decode()
    assert "&amp;room=Room%20%3C1%3E%20%26%20co" in rooms  # a free slot's Book link
    assert "data-free" in rooms
