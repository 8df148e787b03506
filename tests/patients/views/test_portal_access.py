"""Staff invite, re-invite, revoke and remove portal access from the patient page, as their
role allows; another clinic's patient is a 404 and nothing is sent."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from patients.models import PortalInvitation
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def url(name, patient):
    return reverse(f"patients:portal-{name}", args=[patient.pk])


def detail(patient):
    return reverse("staff:patient", args=[patient.pk])


def test_invite_from_the_patient_page(
    client_for, receptionist, patient, django_capture_on_commit_callbacks
):
    client = client_for(receptionist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", patient))
    assert response["Location"] == detail(patient)
    assert len(mail.outbox) == 1
    page = client.get(detail(patient)).content.decode()
    assert "Portal invitation sent by email" in page
    assert 'data-portal="pending"' in page
    assert "Re-invite" in page and "Revoke invitation" in page


def test_revoke_from_the_patient_page(client_for, nurse, patient, invite):
    invite(patient)
    client = client_for(nurse)
    client.post(url("revoke", patient))
    assert PortalInvitation.objects.get().revoked_at is not None
    assert 'data-portal="none"' in client.get(detail(patient)).content.decode()


def test_a_refusal_is_explained_by_its_code(client_for, receptionist, patient):
    patient.email = ""
    patient.save()
    client = client_for(receptionist)
    response = client.post(url("invite", patient), follow=True)
    assert 'data-refusal="portal_needs_email"' in response.content.decode()
    assert not PortalInvitation.objects.exists()


def test_remove_asks_first_then_ends_the_patients_sessions(
    client, client_for, clinic_admin, patient, invite
):
    client.post(
        invite(patient),
        {"username": "ruth.e", "password1": "plum-orchard-42x", "password2": "plum-orchard-42x"},
    )
    assert client.get(reverse("portal:home")).status_code == 200
    staff = client_for(clinic_admin)
    confirm = staff.get(url("remove", patient))
    assert "Remove portal access?" in confirm.content.decode()
    assert staff.post(url("remove", patient))["Location"] == detail(patient)
    patient.refresh_from_db()
    assert patient.user is None
    response = client.get(reverse("portal:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("role", "may_invite", "may_remove"),
    [
        ("clinician", True, True),
        ("nurse", True, True),
        ("receptionist", True, True),
        ("clinic_admin", False, True),
    ],
)
def test_roles(request, client_for, patient, invite, role, may_invite, may_remove):
    client = client_for(request.getfixturevalue(role))
    page = client.get(detail(patient)).content.decode()
    assert ("Invite to portal" in page) is may_invite
    status = client.post(url("invite", patient)).status_code
    assert (status == 302) is may_invite
    assert (status == 403) is not may_invite
    invite(patient)
    assert (client.post(url("revoke", patient)).status_code == 302) is may_invite
    patient.user = get_user_model().objects.create_user(f"p-{role}")
    patient.save()
    page = client.get(detail(patient)).content.decode()
    assert ("Remove access" in page) is may_remove
    assert (client.post(url("remove", patient)).status_code == 302) is may_remove


@pytest.mark.parametrize("name", ["invite", "revoke", "remove"])
def test_another_clinics_patient_is_404_and_nothing_is_sent(
    client_for, clinician, other_clinic, name, django_capture_on_commit_callbacks
):
    foreign = PatientFactory(clinic=other_clinic)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(clinician).post(url(name, foreign)).status_code == 404
    assert not PortalInvitation.objects.exists()
    assert mail.outbox == []


def test_another_clinics_patients_login_is_not_removed(client_for, clinician, other_clinic):
    foreign = PatientFactory(clinic=other_clinic)
    foreign.user = get_user_model().objects.create_user("theirs")
    foreign.save()
    assert client_for(clinician).post(url("remove", foreign)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.user.is_active
