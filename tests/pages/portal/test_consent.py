"""Signing and withdrawing consent in the portal, and what staff see of it."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory
from tests.journey import advance
from treatments import services
from treatments.models import ConsentMethod, Course, State

pytestmark = pytest.mark.django_db


def with_login(patient, username):
    patient.user = get_user_model().objects.create_user(username, password="x-long-password-1")
    patient.save()
    return patient


@pytest.fixture
def sent(patient, clinician, nurse, consent_form, lot, client_for):
    with_login(patient, "pat")
    course = advance(
        Course.objects.get(patient=patient),
        State.CONSENT,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    response = client_for(nurse).post(reverse("treatments:consent-send", args=[patient.pk]))
    assert response.status_code == 302
    return course.consent_requests.get()


def test_the_patient_reads_signs_and_staff_see_it(client_for, sent, patient, nurse, consent_form):
    me = client_for(patient.user)
    home = me.get(reverse("portal:home")).content.decode()
    assert reverse("portal:consent", args=[sent.pk]) in home
    page = me.get(reverse("portal:consent", args=[sent.pk]))
    assert page.status_code == 200 and consent_form.body in page.content.decode()
    sent.refresh_from_db()
    assert sent.viewed_at is not None
    staff_page = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert 'data-refusal="consent_request_open"' in staff_page  # waiting, opened
    statements = [str(i) for i in range(len(consent_form.statement_list))]
    response = me.post(
        reverse("portal:consent", args=[sent.pk]),
        {"statements": statements, "typed_name": patient.full_name},
        HTTP_USER_AGENT="Mozilla/5.0 (Phone)",
    )
    assert response.status_code == 302
    consent = sent.course.consents.get()
    assert (
        consent.method == ConsentMethod.ELECTRONIC and consent.signer_agent == "Mozilla/5.0 (Phone)"
    )
    staff_page = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert "Signed in the portal" in staff_page


def test_a_wrong_name_or_a_missing_tick_is_explained(client_for, sent, patient):
    response = client_for(patient.user).post(
        reverse("portal:consent", args=[sent.pk]), {"statements": ["0"], "typed_name": "Nobody"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="signer_name_mismatch"' in page
    assert 'data-refusal="statements_not_confirmed"' in page
    assert not sent.course.consents.exists()


def test_another_patients_consent_is_404(client_for, sent, clinic):
    other = with_login(PatientFactory(clinic=clinic), "other")
    client = client_for(other.user)
    url = reverse("portal:consent", args=[sent.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"statements": ["0"], "typed_name": "x"}).status_code == 404
    consent = services.consent_record_paper(
        course=sent.course,
        by=sent.sent_by,
        signer_name="P",
        signed_on=timezone.localdate(),
    )
    withdraw = reverse("portal:consent-withdraw", args=[consent.pk])
    assert client.post(withdraw, {"reason": "not mine"}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_the_patient_withdraws_from_the_portal(client_for, sent, patient):
    consent = services.consent_sign(
        request=sent,
        user=patient.user,
        typed_name=patient.full_name,
        confirmed=sent.form.statement_list,
        address=None,
        agent="",
    )
    me = client_for(patient.user)
    url = reverse("portal:consent-withdraw", args=[consent.pk])
    page = me.post(url, {"reason": ""}, follow=True).content.decode()
    assert 'data-refusal="required"' in page
    page = me.post(url, {"reason": "I changed my mind."}, follow=True).content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert "Your consent is withdrawn" in page


def test_staff_record_a_withdrawal_told_to_them(client_for, sent, patient, nurse, receptionist):
    consent = services.consent_record_paper(
        course=sent.course, by=nurse, signer_name="P", signed_on=timezone.localdate()
    )
    url = reverse("treatments:consent-withdraw", args=[patient.pk])
    assert client_for(receptionist).get(url).status_code == 403
    response = client_for(nurse).post(url, {"reason": "Phoned to say no."})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_by == nurse and consent.withdrawal_reason == "Phoned to say no."
    page = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert 'data-warning="consent-withdrawn"' in page


def test_the_signed_consent_is_a_readable_page_for_its_patient_only(
    client_for, sent, patient, clinic
):
    consent = services.consent_sign(
        request=sent,
        user=patient.user,
        typed_name=patient.full_name,
        confirmed=sent.form.statement_list,
        address="203.0.113.9",
        agent="Phone",
    )
    url = reverse("portal:signed-consent", args=[consent.pk])
    page = client_for(patient.user).get(url).content.decode()
    assert consent.text_sha256 in page and sent.form.statement_list[0] in page
    other = with_login(PatientFactory(clinic=clinic), "someone")
    assert client_for(other.user).get(url).status_code == 404
