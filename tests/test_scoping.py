"""Every patient-data URL answers only to the clinic's staff or the patient themself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from botoxcare.roles import Role
from treatments.models import Aftercare, Course, State

from .factories import PatientFactory, make_staff
from .journey import advance

pytestmark = pytest.mark.django_db

GET_URLS = [
    ("staff:patient", ()),
    ("patients:appointment-new", ()),
    ("treatments:consultation", ()),
    ("treatments:consent", ()),
    ("treatments:preparation", ()),
    ("treatments:injection", ()),
    ("treatments:aftercare", ()),
    ("treatments:retreatment", ()),
    ("treatments:discontinue", ()),
    ("treatments:review", ()),
    ("treatments:step", ("renew_consent",)),
]
POST_URLS = [
    ("treatments:step", ("complete_evaluation",)),
    ("treatments:step", ("decline",)),
    ("treatments:step", ("record_consent",)),
    ("treatments:step", ("renew_consent",)),
    ("treatments:maintenance", ()),
    ("treatments:course-start", ()),
    ("treatments:discontinue", ()),
    ("treatments:consultation", ()),
    ("treatments:consent", ()),
    ("treatments:preparation", ()),
    ("treatments:injection", ()),
    ("treatments:aftercare", ()),
    ("treatments:retreatment", ()),
    ("treatments:review", ()),
    ("patients:appointment-new", ()),
]


@pytest.fixture
def foreign_patient(other_clinic):
    return PatientFactory(clinic=other_clinic)


@pytest.mark.parametrize(("name", "args"), GET_URLS)
def test_another_clinics_patient_is_404(client_for, clinician, foreign_patient, name, args):
    response = client_for(clinician).get(reverse(name, args=[foreign_patient.pk, *args]))
    assert response.status_code == 404


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("patients", "treatments")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.parametrize(("name", "args"), POST_URLS)
def test_posting_to_another_clinics_patient_is_404_and_changes_nothing(
    client_for, clinician, foreign_patient, name, args
):
    before = row_counts()
    response = client_for(clinician).post(
        reverse(name, args=[foreign_patient.pk, *args]),
        {
            "reason": "other",
            "detail": "x",
            "notes": "x",
            "signer_name": "x",
            "reviewed_on": "2026-01-01",
            "advice": "x",
            "paper_on_file": "on",
        },
    )
    assert response.status_code == 404
    assert Course.objects.get(patient=foreign_patient).state == State.CONSULTATION
    assert row_counts() == before


def test_list_shows_only_the_clinics_patients(client_for, clinician, patient, foreign_patient):
    page = client_for(clinician).get(reverse("staff:patients")).content.decode()
    assert patient.last_name in page
    assert foreign_patient.identifier not in page


def test_patient_login_cannot_open_staff_pages(client, patient):
    user = get_user_model().objects.create_user("pat", password="x-long-password-1")
    patient.user = user
    patient.save()
    client.force_login(user)
    assert client.get(reverse("staff:patients")).status_code == 404
    assert client.get(reverse("staff:patient", args=[patient.pk])).status_code == 404


def test_anonymous_is_sent_to_login(client, patient):
    response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def two_patients_with_aftercare(clinic, clinician, nurse, consent_form, lot):
    users, aftercares = [], []
    for i in range(2):
        p = PatientFactory(clinic=clinic)
        p.user = get_user_model().objects.create_user(f"portal{i}", password="x-long-password-1")
        p.save()
        advance(
            Course.objects.get(patient=p),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
        users.append(p.user)
        aftercares.append(Aftercare.objects.get(course__patient=p))
    return users, aftercares


def test_portal_aftercare_of_another_patient_is_404(client_for, two_patients_with_aftercare):
    (me, _other), (mine, theirs) = two_patients_with_aftercare
    client = client_for(me)
    own = client.get(reverse("portal:aftercare", args=[mine.pk]))
    assert own.status_code == 200
    assert "cold compress" in own.content.decode().lower()
    assert client.get(reverse("portal:aftercare", args=[theirs.pk])).status_code == 404


def test_portal_shows_own_step_and_appointments(client_for, two_patients_with_aftercare):
    (me, _other), _ = two_patients_with_aftercare
    page = client_for(me).get(reverse("portal:home")).content.decode()
    assert "Monitoring how the treatment works" in page
    assert "Follow-up" in page


def test_staff_have_no_portal(client_for, clinician):
    assert client_for(clinician).get(reverse("portal:home")).status_code == 404


class TestRoles:
    def test_receptionist_sees_the_list_but_not_the_clinical_record(
        self, client_for, receptionist, patient, clinician
    ):
        client = client_for(receptionist)
        assert client.get(reverse("staff:patients")).status_code == 200
        page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
        assert "The clinical record is visible to clinicians and nurses." in page
        assert client.get(reverse("treatments:consultation", args=[patient.pk])).status_code == 403

    def test_nurse_cannot_record_a_consultation_or_injection(self, client_for, nurse, patient):
        client = client_for(nurse)
        assert client.get(reverse("treatments:consultation", args=[patient.pk])).status_code == 403
        assert (
            client.post(
                reverse("treatments:step", args=[patient.pk, "complete_evaluation"])
            ).status_code
            == 403
        )

    def test_admin_cannot_register_patients(self, client_for, clinic_admin):
        assert client_for(clinic_admin).get(reverse("staff:register")).status_code == 403

    def test_receptionist_registers_a_patient(self, client_for, receptionist, clinic):
        doc = make_staff(clinic, Role.CLINICIAN)
        response = client_for(receptionist).post(
            reverse("staff:register"),
            {
                "identifier": "H777",
                "first_name": "Nia",
                "last_name": "Evans",
                "date_of_birth": "1984-02-03",
                "phone": "07700 900000",
                "email": "",
                "preferred_channel": "phone",
                "responsible_clinician": doc.pk,
                "referred_on": "2026-11-01",
            },
        )
        assert response.status_code == 302
        course = Course.objects.get(patient__identifier="H777")
        assert course.state == State.CONSULTATION

    def test_duplicate_identifier_is_a_form_error(self, client_for, receptionist, patient):
        response = client_for(receptionist).post(
            reverse("staff:register"),
            {
                "identifier": patient.identifier,
                "first_name": "A",
                "last_name": "B",
                "date_of_birth": "1984-02-03",
                "phone": "07700 900000",
                "preferred_channel": "phone",
                "referred_on": "2026-11-01",
            },
        )
        assert response.status_code == 400
        assert "already registered at this clinic" in response.content.decode()


def test_possible_duplicate_patient_needs_confirmation(client_for, receptionist, patient):
    data = {
        "identifier": "H555",
        "first_name": patient.first_name.upper(),
        "last_name": patient.last_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "phone": "07700 900000",
        "preferred_channel": "phone",
        "referred_on": "2026-11-01",
    }
    client = client_for(receptionist)
    response = client.post(reverse("staff:register"), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert f"is already registered as {patient.identifier}" in page
    assert 'type="checkbox" name="different_person"' in page
    assert not Course.objects.filter(patient__identifier="H555").exists()
    response = client.post(reverse("staff:register"), {**data, "different_person": "on"})
    assert response.status_code == 302
    assert Course.objects.filter(patient__identifier="H555").exists()
