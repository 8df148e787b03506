"""The portal: the patient's own PDFs, the aftercare page and calendar files; nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from patients.models import AppointmentStatus
from patients.services import appointment_book
from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, Document, DocumentKind, State
from treatments.services import documents as documents_module

pytestmark = pytest.mark.django_db

# Words a calendar file must not carry: it syncs to phones and shows on lock screens.
FORBIDDEN = (
    "migraine",
    "botox",
    "botulinum",
    "toxin",
    "injection",
    "units",
    "diagnos",
    "follow-up",
    "consultation",
    "treatment",
)


@pytest.fixture
def two_patients(clinic, clinician, nurse, consent_form, lot, django_capture_on_commit_callbacks):
    patients = []
    for i in range(2):
        p = PatientFactory(clinic=clinic)
        p.user = get_user_model().objects.create_user(f"docs{i}", password="x-long-password-1")
        p.save()
        with django_capture_on_commit_callbacks(execute=True):
            advance(
                Course.objects.get(patient=p),
                State.MAINTENANCE,
                clinician=clinician,
                nurse=nurse,
                lot=lot,
            )
        patients.append(p)
    return patients


def test_a_patient_downloads_their_own_documents_only(client_for, two_patients, monkeypatch):
    me, other = two_patients
    monkeypatch.setattr(documents_module, "render_pdf", lambda *a, **k: 1 / 0)
    client = client_for(me.user)
    for doc in Document.objects.filter(course__patient=me):
        response = client.get(reverse("portal:document", args=[doc.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert response.content == bytes(doc.pdf)
    for doc in Document.objects.filter(course__patient=other):
        assert client.get(reverse("portal:document", args=[doc.pk])).status_code == 404


def test_staff_and_strangers_get_404_from_portal_documents(
    client_for, clinician, two_patients, client
):
    doc = Document.objects.filter(course__patient=two_patients[0]).first()
    url = reverse("portal:document", args=[doc.pk])
    assert client_for(clinician).get(url).status_code == 404
    stranger = get_user_model().objects.create_user("stranger", password="x-long-password-1")
    assert client_for(stranger).get(url).status_code == 404
    assert client.get(url).status_code == 302  # anonymous: to sign in


def test_portal_home_lists_documents_and_calendar_links(client_for, two_patients):
    me, _ = two_patients
    page = client_for(me.user).get(reverse("portal:home")).content.decode()
    for doc in Document.objects.filter(course__patient=me):
        assert reverse("portal:document", args=[doc.pk]) in page
    follow_up = me.appointments.get()
    assert reverse("portal:appointment-ics", args=[follow_up.pk]) in page


def test_the_aftercare_page_shows_what_the_pdf_shows(client_for, two_patients):
    me, _ = two_patients
    doc = Document.objects.get(course__patient=me, kind=DocumentKind.AFTERCARE)
    page = client_for(me.user).get(reverse("portal:aftercare", args=[doc.aftercare.pk]))
    html = page.content.decode()
    assert doc.aftercare.session.vials.get().lot.lot_number in html
    assert "Temporalis (bilateral)" in html
    assert "Your next treatment" in html
    assert "difficulty swallowing" in html


def test_the_calendar_file_has_the_time_and_phone_and_no_clinical_word(client_for, two_patients):
    me, _ = two_patients
    appointment = me.appointments.get()
    response = client_for(me.user).get(reverse("portal:appointment-ics", args=[appointment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    event = Calendar.from_ical(body).walk("VEVENT")[0]
    assert event.decoded("dtstart") == appointment.starts_at
    assert event.decoded("dtend") == appointment.ends_at
    assert str(event["summary"]) == "Appointment with your clinic"
    assert me.clinic.phone in str(event["description"])
    assert me.clinic.name.lower() not in body.lower()
    for word in FORBIDDEN:
        assert word not in body.lower(), word


def test_calendar_files_only_for_ones_own_upcoming_appointments(
    client_for, two_patients, receptionist
):
    me, other = two_patients
    client = client_for(me.user)
    theirs = other.appointments.get()
    assert client.get(reverse("portal:appointment-ics", args=[theirs.pk])).status_code == 404
    past = appointment_book(
        patient=me,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(days=3),
        minutes=30,
    )
    cancelled = appointment_book(
        patient=me,
        by=receptionist,
        kind="consultation",
        starts_at=timezone.now() + timedelta(days=5),
        minutes=30,
    )
    cancelled.status = AppointmentStatus.CANCELLED
    cancelled.save()
    type(past).objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() - timedelta(days=1) + timedelta(minutes=30),
    )
    for ap in (past, cancelled):
        assert client.get(reverse("portal:appointment-ics", args=[ap.pk])).status_code == 404
