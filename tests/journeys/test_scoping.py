"""Every patient-data URL answers only to the clinic's staff or the patient themself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from botoxcare.roles import Role
from tests.factories import PatientFactory, make_staff
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


GET_URLS = [
    ("staff:patient", ()),
    ("staff:appointment-new", ()),
    ("treatments:consultation", ()),
    ("treatments:consent", ()),
    ("treatments:preparation", ()),
    ("treatments:injection", ()),
    ("treatments:aftercare", ()),
    ("treatments:retreatment", ()),
    ("treatments:discontinue", ()),
    ("treatments:review", ()),
    ("treatments:step", ("renew_consent",)),
    ("patients:contact-edit", ()),
    ("patients:portal-remove", ()),
    ("patients:contact-attempt-new", ()),
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
    ("staff:appointment-new", ()),
    ("treatments:consent-send", ()),
    ("treatments:consent-withdraw", ()),
    ("patients:contact-edit", ()),
    ("patients:portal-invite", ()),
    ("patients:portal-revoke", ()),
    ("patients:portal-remove", ()),
    ("patients:contact-attempt-new", ()),
]


@pytest.fixture
def foreign_patient(other_clinic):
    return PatientFactory(clinic=other_clinic)


def row_counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model.objects.count()
        for app in ("patients", "treatments")
        for model in apps.get_app_config(app).get_models()
    }


@pytest.mark.parametrize(("name", "args"), GET_URLS)
def test_another_clinics_patient_is_404(client_for, clinician, foreign_patient, name, args):
    response = client_for(clinician).get(reverse(name, args=[foreign_patient.pk, *args]))
    assert response.status_code == 404


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
            "channel": "phone",
            "outcome": "reached",
        },
    )
    assert response.status_code == 404
    assert Course.objects.get(patient=foreign_patient).state == State.CONSULTATION
    assert row_counts() == before


def test_schedule_actions_on_another_clinics_rows_are_404_and_change_nothing(
    client_for, clinician, foreign_patient
):
    """The schedules page's URLs take ids in the form (patients) or the path (reminders)."""
    from treatments.models import MAX_ATTEMPTS, Reminder, ReminderKind

    reminder = Reminder.objects.create(
        course=Course.objects.get(patient=foreign_patient),
        kind=ReminderKind.RETREATMENT_DUE,
        due_at="2026-01-01T09:00:00Z",
        key="foreign",
        attempts=MAX_ATTEMPTS,
    )
    admin = make_staff(clinician.staff_profile.clinic, Role.ADMIN)
    before = row_counts()
    client = client_for(clinician)
    for data in (
        {"remind": foreign_patient.pk},
        {
            "patients": [foreign_patient.pk],
            "action": "contact",
            "channel": "phone",
            "outcome": "reached",
        },
    ):
        assert client.post(reverse("staff:schedules-act"), data).status_code == 404
    for action in ("retry", "handled"):
        url = reverse("staff:reminder-failed-act", args=[reminder.pk, action])
        assert client_for(admin).post(url).status_code == 404
    assert row_counts() == before
    assert Reminder.objects.get(pk=reminder.pk).result == "failed"


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


@pytest.mark.parametrize("role", list(Role))
def test_the_portal_booking_page_is_the_patients_own(client_for, clinic, patient, role):
    """It has no id in its URL: staff of any role get 404 (GET or POST) and change nothing."""
    client = client_for(make_staff(clinic, role))
    before = row_counts()
    assert client.get(reverse("portal:book")).status_code == 404
    response = client.post(reverse("portal:book"), {"slot": "2026-05-12T09:00:00+01:00|1"})
    assert response.status_code == 404
    assert row_counts() == before


def test_anonymous_is_sent_to_login(client, patient):
    response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


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
        assert 'data-refusal="identifier_taken"' in response.content.decode()


class TestDocumentsAndCalendar:
    """Documents and calendar files: another clinic's, or another patient's, are 404."""

    @pytest.fixture
    def foreign_documents(self, other_clinic, foreign_patient, django_capture_on_commit_callbacks):
        from tests.factories import ConsentFormFactory, ProductLotFactory
        from tests.journey import advance
        from treatments.models import Document

        clinician = make_staff(other_clinic, Role.CLINICIAN)
        nurse = make_staff(other_clinic, Role.NURSE)
        ConsentFormFactory(clinic=other_clinic)
        lot = ProductLotFactory(clinic=other_clinic)
        with django_capture_on_commit_callbacks(execute=True):
            advance(
                Course.objects.get(patient=foreign_patient),
                State.MAINTENANCE,
                clinician=clinician,
                nurse=nurse,
                lot=lot,
            )
        return list(Document.objects.filter(course__patient=foreign_patient))

    def test_staff_cannot_download_another_clinics_documents(
        self, client_for, clinician, patient, foreign_patient, foreign_documents
    ):
        client = client_for(clinician)
        assert len(foreign_documents) == 2
        for doc in foreign_documents:
            # Through the other clinic's patient, or through one of our own patients.
            for owner in (foreign_patient, patient):
                url = reverse("treatments:document", args=[owner.pk, doc.pk])
                assert client.get(url).status_code == 404

    def test_the_other_clinics_staff_do_download_them(
        self, client_for, other_clinic, foreign_patient, foreign_documents
    ):
        nurse = make_staff(other_clinic, Role.NURSE)
        url = reverse("treatments:document", args=[foreign_patient.pk, foreign_documents[0].pk])
        assert client_for(nurse).get(url).status_code == 200

    def test_a_patient_cannot_download_another_patients_documents_or_calendar(
        self, client_for, patient, foreign_patient, foreign_documents
    ):
        user = get_user_model().objects.create_user("pat", password="x-long-password-1")
        patient.user = user
        patient.save()
        client = client_for(user)
        for doc in foreign_documents:
            assert client.get(reverse("portal:document", args=[doc.pk])).status_code == 404
        appointment = foreign_patient.appointments.get()
        url = reverse("portal:appointment-ics", args=[appointment.pk])
        assert client.get(url).status_code == 404
        assert (
            client.get(
                reverse("treatments:document", args=[foreign_patient.pk, foreign_documents[0].pk])
            ).status_code
            == 404
        )


class TestClinicAdmin:
    """The clinic admin's pages with an id: another clinic's staff member or consent form
    version is 404, by GET and by POST, and a POST changes nothing."""

    @pytest.fixture
    def foreign(self, other_clinic):
        from tests.factories import ConsentFormFactory

        return {
            "member": make_staff(other_clinic, Role.NURSE),
            "form": ConsentFormFactory(clinic=other_clinic, is_active=False),
        }

    URLS = [
        ("clinic_admin:staff-member", "member", ("get", "post")),
        ("clinic_admin:staff-active", "member", ("post",)),
        ("clinic_admin:staff-set-password", "member", ("post",)),
        ("treatments:consent-form", "form", ("get", "post")),
        ("treatments:consent-form-activate", "form", ("post",)),
    ]

    @pytest.mark.parametrize(("name", "kind", "methods"), URLS)
    def test_another_clinics_id_is_404(
        self, client_for, clinic_admin, foreign, name, kind, methods
    ):
        from django.core import mail

        from treatments.models import ConsentForm

        client = client_for(clinic_admin)
        url = reverse(name, args=[foreign[kind].pk])
        for method in methods:
            response = getattr(client, method)(
                url, {"roles": ["admin"], "active": "0", "title": "x", "body": "x"}
            )
            assert response.status_code == 404
        member = get_user_model().objects.get(pk=foreign["member"].pk)
        assert member.is_active and set(member.groups.values_list("name", flat=True)) == {"nurse"}
        assert not ConsentForm.objects.get(pk=foreign["form"].pk).is_active
        assert mail.outbox == []

    def test_the_lists_show_only_the_clinics_own(self, client_for, clinic_admin, foreign):
        client = client_for(clinic_admin)
        staff = client.get(reverse("clinic_admin:staff")).content.decode()
        assert foreign["member"].username not in staff
        forms = client.get(reverse("treatments:consent-forms")).content.decode()
        assert 'data-version="1"' not in forms

    def test_a_clinic_admin_cannot_open_django_admin(self, client_for, clinic_admin):
        response = client_for(clinic_admin).get("/admin/")
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
