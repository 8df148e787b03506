"""Visits left open: past visits still booked, listed by day; a day marked attended at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from patients.models import Appointment, AppointmentStatus
from patients.services import appointment_book
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def book(patient, by, when, **kwargs):
    return appointment_book(
        patient=patient, by=by, kind="follow_up", starts_at=when, minutes=20, **kwargs
    )


@pytest.fixture
def yesterday_visits(clinic, receptionist):
    # Both visits on the same local day (yesterday morning), whatever the hour the suite runs:
    # an hour or two before "now" straddles midnight when CI runs just after it.
    now = timezone.now()
    yesterday = timezone.localtime(now).replace(hour=9, minute=0, second=0, microsecond=0)
    yesterday -= timedelta(days=1)
    with time_machine.travel(now - timedelta(days=3), tick=False):
        visits = [
            book(PatientFactory(clinic=clinic), receptionist, yesterday + timedelta(hours=h))
            for h in (1, 2)
        ]
        today = book(PatientFactory(clinic=clinic), receptionist, now + timedelta(hours=2))
    return visits, today


def test_past_visits_are_listed_and_a_day_is_marked_attended(
    client_for, receptionist, yesterday_visits, other_clinic
):
    visits, today = yesterday_visits
    foreign = PatientFactory(clinic=other_clinic)
    with time_machine.travel(timezone.now() - timedelta(days=3), tick=False):
        theirs = book(foreign, receptionist, timezone.now() + timedelta(days=2))
    client = client_for(receptionist)
    page = client.get(reverse("treatments:open-visits")).content.decode()
    for v in visits:
        assert v.patient.identifier in page
    assert today.patient.identifier not in page and foreign.identifier not in page
    day = timezone.localdate(visits[0].starts_at)
    response = client.post(
        reverse("treatments:open-visits"),
        {"day": day.isoformat(), "visit": [v.pk for v in visits]},
    )
    assert response.status_code == 302
    for v in visits:
        v.refresh_from_db()
        assert v.status == AppointmentStatus.ATTENDED
    theirs.refresh_from_db()
    today.refresh_from_db()
    assert theirs.status == today.status == AppointmentStatus.BOOKED
    assert "No visit is left open" in client.get(reverse("treatments:open-visits")).content.decode()


def test_one_visit_marked_missed_returns_to_the_list(client_for, receptionist, yesterday_visits):
    visits, _today = yesterday_visits
    missed = visits[0]
    url = reverse("treatments:appointment-status", args=[missed.patient.pk, missed.pk])
    back = reverse("treatments:open-visits")
    response = client_for(receptionist).post(url, {"status": "did_not_attend", "next": back})
    assert response["Location"] == back
    missed.refresh_from_db()
    assert missed.status == AppointmentStatus.DID_NOT_ATTEND
    # An outside address is never followed.
    other = visits[1]
    url = reverse("treatments:appointment-status", args=[other.patient.pk, other.pk])
    response = client_for(receptionist).post(
        url, {"status": "attended", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("staff:patient", args=[other.patient.pk])
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_an_admin_closes_visits_too(client_for, clinic_admin, yesterday_visits):
    # The clinic admin books from the follow-up schedules, so closes visits as reception does.
    visits, _today = yesterday_visits
    client = client_for(clinic_admin)
    assert client.get(reverse("treatments:open-visits")).status_code == 200
    day = timezone.localdate(visits[0].starts_at)
    client.post(
        reverse("treatments:open-visits"),
        {"day": day.isoformat(), "visit": [v.pk for v in visits]},
    )
    assert all(
        v.status == AppointmentStatus.ATTENDED
        for v in Appointment.objects.filter(pk__in=[v.pk for v in visits])
    )
