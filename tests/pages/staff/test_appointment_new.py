"""The booking page: a clash or a mistyped year is a form error, and nothing is booked."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from patients.models import Appointment

pytestmark = pytest.mark.django_db


def test_far_future_visit_is_a_form_error_not_a_crash(client_for, receptionist, patient):
    response = client_for(receptionist).post(
        reverse("staff:appointment-new", args=[patient.pk]),
        {"kind": "follow_up", "starts_at": "9999-12-31T23:30", "minutes": "30"},
    )
    assert response.status_code == 400
    assert 'data-refusal="visit_too_far"' in response.content.decode()


def test_clash_is_a_form_error_and_books_nothing(client_for, booked, patient, receptionist):
    local = timezone.localtime(booked.starts_at)
    response = client_for(receptionist).post(
        reverse("staff:appointment-new", args=[patient.pk]),
        {"kind": "review", "starts_at": local.strftime("%Y-%m-%dT%H:%M"), "minutes": "20"},
    )
    assert response.status_code == 400
    assert 'data-refusal="appointment_clash"' in response.content.decode()
    assert Appointment.objects.count() == 1


@pytest.fixture
def in_maintenance(patient, clinician, nurse, consent_form, lot):
    from tests.journey import advance
    from treatments.models import Course, State

    start = timezone.localdate() - timedelta(weeks=4)
    return advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    ), start


def injection_visit(day, **more):
    return {"kind": "injection", "starts_at": f"{day.isoformat()}T10:00", "minutes": "30", **more}


def test_an_injection_visit_before_the_window_needs_a_clinicians_reason(
    client_for, in_maintenance, patient, receptionist, clinician
):
    from patients.models import Appointment

    _course, start = in_maintenance
    early, opens = start + timedelta(weeks=9), start + timedelta(weeks=10)
    url = reverse("staff:appointment-new", args=[patient.pk])
    response = client_for(receptionist).post(url, injection_visit(early, override_reason="x"))
    assert response.status_code == 400
    assert 'data-refusal="booked_before_window"' in response.content.decode()
    assert not Appointment.objects.filter(kind="injection").exists()
    # From the day the window opens, reception books it.
    assert client_for(receptionist).post(url, injection_visit(opens)).status_code == 302
    # A clinician may book earlier, with the reason kept on the booking.
    doc = client_for(clinician)
    assert 'name="override_reason"' in doc.get(url).content.decode()
    response = doc.post(
        url, injection_visit(early - timedelta(days=1), override_reason="Travelling.")
    )
    assert response.status_code == 302
    booked = Appointment.objects.filter(kind="injection").order_by("starts_at").first()
    assert booked.booking_note == "Before the window: Travelling."


def test_the_override_is_a_clinicians_call(in_maintenance, patient, nurse):
    from django.core.exceptions import PermissionDenied

    from treatments.services import visit_book

    _course, start = in_maintenance
    when = timezone.make_aware(
        timezone.datetime.combine(start + timedelta(weeks=9), timezone.datetime.min.time())
    )
    with pytest.raises(PermissionDenied):
        visit_book(
            patient=patient,
            by=nurse,
            kind="injection",
            starts_at=when,
            minutes=30,
            override_reason="Because.",
        )


@pytest.mark.parametrize(
    ("kind", "setting", "value"),
    [
        ("consultation", "consultation_minutes", 50),
        ("injection", "injection_minutes", 35),
        ("follow_up", "follow_up_minutes", 15),
        ("review", "appointment_minutes", 25),
    ],
)
def test_a_length_left_empty_is_the_kinds_usual_one(
    client_for, receptionist, patient, clinic, kind, setting, value
):
    setattr(clinic.settings, setting, value)
    clinic.settings.save()
    when = timezone.localtime(timezone.now() + timedelta(days=200)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(receptionist).post(
        reverse("staff:appointment-new", args=[patient.pk]),
        {"kind": kind, "starts_at": when, "minutes": "", "override_reason": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Appointment.objects.get(patient=patient)
    assert visit.ends_at - visit.starts_at == timedelta(minutes=value)


def test_a_length_given_wins_and_the_page_says_the_usual_ones(client_for, receptionist, patient):
    client = client_for(receptionist)
    page = client.get(reverse("staff:appointment-new", args=[patient.pk]) + "?kind=injection")
    text = page.content.decode()
    assert (
        "Leave empty for the usual length: consultation 45, consent discussion 30, "
        "injection session 30" in text
    )
    assert 'name="minutes" value="30"' in text  # the injection's, as the kind is chosen
    when = timezone.localtime(timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(
        reverse("staff:appointment-new", args=[patient.pk]),
        {"kind": "consultation", "starts_at": when, "minutes": "60"},
    )
    visit = Appointment.objects.get(patient=patient)
    assert visit.ends_at - visit.starts_at == timedelta(minutes=60)
