"""Every patient-data URL answers only to the clinic's staff or the patient themself."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from botoxcare.roles import Role
from tests.factories import PatientFactory, make_staff
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


GET_URLS = [
    ("staff:patient", ()),
    ("staff:appointment-new", ()),
    ("staff:consultation", ()),
    ("treatments:consent", ()),
    ("treatments:preparation", ()),
    ("treatments:injection", ()),
    ("treatments:aftercare", ()),
    ("staff:retreatment", ()),
    ("treatments:discontinue", ()),
    ("staff:review", ()),
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
    ("staff:consultation", ()),
    ("treatments:consent", ()),
    ("treatments:preparation", ()),
    ("treatments:injection", ()),
    ("treatments:aftercare", ()),
    ("staff:retreatment", ()),
    ("staff:review", ()),
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
        assert client.get(reverse("staff:consultation", args=[patient.pk])).status_code == 403

    def test_nurse_cannot_record_a_consultation_or_evaluation(self, client_for, nurse, patient):
        client = client_for(nurse)
        assert client.get(reverse("staff:consultation", args=[patient.pk])).status_code == 403
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


def all_row_counts() -> dict[str, int]:
    """Every table the portal and the call-back pages could write to, logins included."""
    counts = row_counts()
    counts["auth.User"] = get_user_model().objects.count()
    return counts


class TestPortal:
    """The portal's URLs with an id: a consent to sign, a signed consent, its withdrawal, an
    aftercare sheet, a stored PDF and an appointment's .ics. Another patient's id (of the same
    clinic or another) is 404, by GET and by POST, and a POST writes nothing."""

    URLS = [
        ("portal:consent", "request", "get"),
        ("portal:consent", "request", "post"),
        ("portal:signed-consent", "consent", "get"),
        ("portal:consent-withdraw", "consent", "post"),
        ("portal:aftercare", "aftercare", "get"),
        ("portal:document", "consent_pdf", "get"),
        ("portal:document", "aftercare_pdf", "get"),
        ("portal:appointment-ics", "appointment", "get"),
    ]

    @pytest.fixture
    def me(self, patient):
        patient.user = get_user_model().objects.create_user("me", password="x-long-password-1")
        patient.save()
        return patient

    @pytest.fixture(params=["same clinic", "other clinic"])
    def theirs(self, request, clinic, other_clinic, django_capture_on_commit_callbacks):
        """One patient's records: a consent waiting in the portal (a second course at the
        consent step) and, on the first, a signed consent, aftercare, both PDFs and a visit."""
        from tests.factories import ConsentFormFactory, ProductLotFactory
        from tests.journey import advance
        from treatments import services
        from treatments.models import DocumentKind

        home = clinic if request.param == "same clinic" else other_clinic
        clinician = make_staff(home, Role.CLINICIAN)
        nurse = make_staff(home, Role.NURSE)
        ConsentFormFactory(clinic=home)
        lot = ProductLotFactory(clinic=home)
        treated, waiting = PatientFactory(clinic=home), PatientFactory(clinic=home)
        with django_capture_on_commit_callbacks(execute=True):
            course = advance(
                Course.objects.get(patient=treated),
                State.MAINTENANCE,
                clinician=clinician,
                nurse=nurse,
                lot=lot,
            )
            at_consent = advance(
                Course.objects.get(patient=waiting),
                State.CONSENT,
                clinician=clinician,
                nurse=nurse,
                lot=lot,
            )
            sent = services.consent_request_send(course=at_consent, by=nurse)
        documents = {d.kind: d for d in course.documents.all()}
        return {
            "request": sent,
            "consent": course.consents.get(),
            "aftercare": course.aftercares.get(),
            "consent_pdf": documents[DocumentKind.CONSENT],
            "aftercare_pdf": documents[DocumentKind.AFTERCARE],
            "appointment": treated.appointments.filter(starts_at__gt=timezone.now()).first(),
        }

    @pytest.mark.parametrize(("name", "kind", "method"), URLS)
    def test_another_patients_id_is_404_and_writes_nothing(
        self, client_for, me, theirs, name, kind, method
    ):
        assert theirs[kind] is not None, kind
        before = all_row_counts()
        url = reverse(name, args=[theirs[kind].pk])
        data = {"statements": ["0", "1", "2", "3", "4", "5"], "typed_name": "x", "reason": "x"}
        response = getattr(client_for(me.user), method)(url, data)
        assert response.status_code == 404
        assert all_row_counts() == before
        theirs["request"].refresh_from_db()
        assert theirs["request"].is_open and theirs["request"].viewed_at is None
        theirs["consent"].refresh_from_db()
        assert theirs["consent"].withdrawn_on is None

    def test_a_staff_login_has_no_portal(self, client_for, clinician, theirs):
        """Staff reach documents through the patient page, never through the portal's URLs."""
        client = client_for(clinician)
        for name, kind, method in self.URLS:
            response = getattr(client, method)(reverse(name, args=[theirs[kind].pk]))
            assert response.status_code == 404, name


class TestCallbacks:
    """The call-back queue's URLs: another clinic's request is 404 by GET and by each POST
    (claim, record the call, match a patient), and nothing changes; a request of ours cannot
    be matched to another clinic's patient."""

    @pytest.fixture
    def foreign_callback(self, other_clinic):
        from patients.services import callback_request

        return callback_request(
            clinic=other_clinic,
            name="Faraway Caller",
            phone="07700 900555",
            topic="new_referral",
            contact_consent=True,
            address="203.0.113.50",
        )

    @pytest.mark.parametrize(
        "data",
        [None, {"claim": "1"}, {"record": "1", "kind": "booked", "note": "x"}, {"patient": "1"}],
        ids=["get", "claim", "record", "match"],
    )
    def test_another_clinics_request_is_404_and_changes_nothing(
        self, client_for, receptionist, foreign_callback, data
    ):
        from patients.models import CallbackStatus

        client = client_for(receptionist)
        before = all_row_counts()
        url = reverse("patients:callback", args=[foreign_callback.pk])
        response = client.get(url) if data is None else client.post(url, data)
        assert response.status_code == 404
        assert all_row_counts() == before
        foreign_callback.refresh_from_db()
        assert foreign_callback.status == CallbackStatus.OPEN
        assert foreign_callback.claimed_by is None and foreign_callback.patient is None

    def test_the_queue_shows_only_the_clinics_requests(
        self, client_for, receptionist, foreign_callback
    ):
        page = client_for(receptionist).get(reverse("patients:callbacks")).content.decode()
        assert "Faraway Caller" not in page
        assert reverse("patients:callback", args=[foreign_callback.pk]) not in page

    def test_our_request_cannot_be_matched_to_another_clinics_patient(
        self, client_for, clinic, receptionist, foreign_patient
    ):
        from patients.services import callback_request

        ours = callback_request(
            clinic=clinic,
            name="Local Caller",
            phone="07700 900556",
            topic="current_patient",
            contact_consent=True,
            address="203.0.113.51",
        )
        before = all_row_counts()
        response = client_for(receptionist).post(
            reverse("patients:callback", args=[ours.pk]), {"patient": foreign_patient.pk}
        )
        assert response.status_code == 404
        assert all_row_counts() == before
        ours.refresh_from_db()
        assert ours.patient is None


def test_a_used_join_link_is_404_and_writes_nothing(client, patient, invite):
    """Once used, a portal invitation's link is the "cannot be used" page, by GET and POST;
    it makes no second login and links nothing."""
    path = invite(patient)
    data = {"username": "first", "password1": "a-long-pass-phrase-9", "password2": ""}
    data["password2"] = data["password1"]
    assert client.post(path, data).status_code == 302
    client.logout()
    before = all_row_counts()
    page = client.get(path)
    assert page.status_code == 404 and 'data-join="unusable"' in page.content.decode()
    response = client.post(path, {**data, "username": "second"})
    assert response.status_code == 404
    assert all_row_counts() == before
    assert not get_user_model().objects.filter(username="second").exists()
    patient.refresh_from_db()
    assert patient.user is not None and patient.user.username == "first"
