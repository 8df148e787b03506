"""One injection session on one printable page: for the clinical roles, scoped to the
patient in its address and to the clinic, audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from pages.staff.session import session_vials
from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, InjectionSession, State

pytestmark = pytest.mark.django_db


@pytest.fixture
def treated(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(weeks=3))  # fmt: skip
    return InjectionSession.objects.get(course=course)


def url(patient_pk: int, session_pk: int) -> str:
    return reverse("staff:session", args=[patient_pk, session_pk])


def test_the_page_shows_the_whole_session(client_for, clinician, patient, lot, treated):
    response = client_for(clinician).get(url(patient.pk, treated.pk))
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Injection session, {treated.session_date.day} {treated.session_date:%b %Y}" in text
    assert clinician.get_full_name() in text
    settings = patient.clinic.settings
    for site in treated.sites.all():
        label = settings.muscles_in_order[site.muscle]["label"]
        assert f'<th scope="row">{label}</th><td class="num">{site.sites}</td>' in text
    assert f"{treated.total_units} units in {treated.sites_count} sites" in text
    assert lot.lot_number in text and f"{lot.expiry_date.day} {lot.expiry_date:%b %Y}" in text
    for vial in session_vials(treated):  # each vial where sessions record them
        assert f"<td>{vial.expiry_date.day} {vial.expiry_date:%b %Y}</td>" in text
        if vial.units_given is not None:
            assert "Reconstituted" in text and f"{vial.units_given} U</td>" in text
    assert 'data-sheet="aftercare"' in text
    assert "css/session_print.css" in text and 'media="print"' in text
    assert AuditEvent.objects.filter(action="session.viewed", patient_id=patient.pk).exists()


def test_clinical_roles_only(
    client_for, clinician, nurse, receptionist, clinic_admin, patient, treated
):
    for user in (clinician, nurse):
        assert client_for(user).get(url(patient.pk, treated.pk)).status_code == 200
    for user in (receptionist, clinic_admin):
        assert client_for(user).get(url(patient.pk, treated.pk)).status_code == 403


def test_another_patients_session_or_clinic_is_a_404(
    client_for, clinician, patient, treated, other_clinic
):
    client = client_for(clinician)
    someone = PatientFactory(clinic=patient.clinic)
    assert client.get(url(someone.pk, treated.pk)).status_code == 404
    stranger = PatientFactory(clinic=other_clinic)
    assert client.get(url(stranger.pk, treated.pk)).status_code == 404
    assert client.get(url(patient.pk, treated.pk + 1000)).status_code == 404


def test_no_aftercare_yet_is_said(client_for, clinician, patient, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(days=1))  # fmt: skip
    session = InjectionSession.objects.get(course=course)
    text = client_for(clinician).get(url(patient.pk, session.pk)).content.decode()
    assert 'data-empty="aftercare"' in text
