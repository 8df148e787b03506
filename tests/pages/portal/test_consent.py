"""Signing and withdrawing consent in the portal, and what staff see of it."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    response = client_for(nurse).post(
        url, {"reason": "Phoned to say no.", "withdrawn_on": timezone.localdate().isoformat()}
    )
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


def sign_in_the_portal(client, sent, patient):
    statements = [str(i) for i in range(len(sent.form.statement_list))]
    response = client.post(
        reverse("portal:consent", args=[sent.pk]),
        {"statements": statements, "typed_name": patient.full_name},
    )
    assert response.status_code == 302
    return sent.course.consents.get()


def test_edits_of_the_form_after_signing_never_change_the_signed_copy(
    client_for, sent, patient, clinic, clinic_admin, django_capture_on_commit_callbacks
):
    """The patient signs in the portal; the clinic admin then tries to correct that version in
    the clinic admin's page (refused: it was given to patients), writes a new version instead,
    an operator's edit in Django's admin is refused too, and even the row changed in the database
    leaves the signed copy's page and its PDF with the text the patient read, and its hash."""
    from tests.pdf import pdf_text
    from treatments.models import ConsentForm, Document, DocumentKind

    me = client_for(patient.user)
    with django_capture_on_commit_callbacks(execute=True):
        consent = sign_in_the_portal(me, sent, patient)
    original = sent.form.body
    signed = (consent.text, consent.text_sha256)
    assert original in consent.text

    admin = client_for(clinic_admin)
    edit = reverse("treatments:consent-form", args=[sent.form.pk])
    changed = {"title": "New title", "body": "A different text altogether.", "statements": "OK"}
    response = admin.post(edit, changed)
    assert response.status_code == 400
    assert 'data-refusal="consent_form_used"' in response.content.decode()
    assert ConsentForm.objects.get(pk=sent.form.pk).body == original
    response = admin.post(reverse("treatments:consent-form-new"), {**changed, "activate": "on"})
    assert response.status_code == 302
    assert ConsentForm.objects.get(clinic=clinic, is_active=True).body == changed["body"]

    operator = get_user_model().objects.create_superuser("op", password="x-long-password-1")
    response = client_for(operator).post(
        reverse("admin:treatments_consentform_change", args=[sent.form.pk]),
        {
            "clinic": clinic.pk,
            "version": sent.form.version,
            "title": "Edited in the admin",
            "body": "Edited in the admin, after signing.",
            "statements": "Edited",
        },
    )
    assert response.status_code == 403  # a version given to patients is frozen in /admin/ too
    assert ConsentForm.objects.get(pk=sent.form.pk).body == original
    # Even a change to the row itself (a database fix) leaves the signed copy as it was.
    ConsentForm.objects.filter(pk=sent.form.pk).update(
        title="Edited in the admin", body="Edited in the admin, after signing."
    )

    consent.refresh_from_db()
    assert (consent.text, consent.text_sha256) == signed
    page = me.get(reverse("portal:signed-consent", args=[consent.pk])).content.decode()
    assert original in page and consent.text_sha256 in page
    assert "Edited in the admin" not in page and "A different text" not in page
    stored = Document.objects.get(course=sent.course, kind=DocumentKind.CONSENT)
    download = me.get(reverse("portal:document", args=[stored.pk]))
    assert download.status_code == 200
    text = pdf_text(
        b"".join(download.streaming_content) if download.streaming else download.content
    )
    assert " ".join(original.split()) in text and consent.text_sha256[:16] in text
    assert "Edited in the admin" not in text and "A different text" not in text


def test_a_withdrawal_in_the_portal_stops_the_clinicians_injection_form(
    client_for, sent, patient, clinician, lot
):
    """Signed and withdrawn in the portal; the clinician's injection form is then refused with
    the withdrawal's code, and no session is written."""
    from tests.web import injection_post
    from treatments.models import InjectionSession

    me = client_for(patient.user)
    consent = sign_in_the_portal(me, sent, patient)
    services.preparation_record(
        course=sent.course,
        by=sent.sent_by,
        reviewed_on=timezone.localdate(),
        advice="Nothing to pause.",
        flags={},
    )
    course = services.course_transition(course=sent.course, name="record_consent", by=sent.sent_by)
    assert course.state == State.INJECTION
    response = me.post(
        reverse("portal:consent-withdraw", args=[consent.pk]), {"reason": "I changed my mind."}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()

    response = client_for(clinician).post(
        reverse("treatments:injection", args=[patient.pk]),
        injection_post(lot, timezone.localdate()),
    )
    assert response.status_code == 400
    assert 'data-refusal="consent_withdrawn"' in response.content.decode()
    assert not InjectionSession.objects.filter(course__patient=patient).exists()
    course.refresh_from_db()
    assert course.state == State.INJECTION


def consent_status(page: str) -> str:
    """What the staff page says of the consent sent to the portal, or "" when nothing waits."""
    import re

    found = re.search(r'<li data-refusal="consent_request_open">([^<]*)</li>', page)
    return found.group(1) if found else ""


def test_staff_see_the_consent_sent_opened_signed_and_withdrawn(
    client_for, patient, clinician, nurse, consent_form, lot
):
    """The patient page follows a consent through the portal: sent and not opened yet, opened
    on the day the patient read it, signed in the portal, then withdrawn with its reason."""
    import time_machine

    from treatments.pathway import day

    with_login(patient, "pat")
    staff, me = client_for(nurse), client_for(patient.user)
    page_url = reverse("staff:patient", args=[patient.pk])
    sent_on = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(sent_on, tick=False):
        advance(
            Course.objects.get(patient=patient),
            State.CONSENT,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
        assert consent_status(staff.get(page_url).content.decode()) == ""
        assert staff.post(reverse("treatments:consent-send", args=[patient.pk])).status_code == 302
        sent = consent_status(staff.get(page_url).content.decode())
        assert (
            sent
            == f"The patient to sign the consent sent on {day(sent_on.date())} (not opened yet)."
        )
    opened_on = sent_on + timedelta(days=2)
    with time_machine.travel(opened_on, tick=False):
        waiting = Course.objects.get(patient=patient).consent_requests.get()
        assert me.get(reverse("portal:consent", args=[waiting.pk])).status_code == 200
        opened = consent_status(staff.get(page_url).content.decode())
        assert opened == (
            f"The patient to sign the consent sent on {day(sent_on.date())} "
            f"(opened {day(opened_on.date())})."
        )
        consent = sign_in_the_portal(me, waiting, patient)
        page = staff.get(page_url).content.decode()
        assert consent_status(page) == ""
        assert f"Signed in the portal by {patient.full_name} on {day(opened_on.date())}." in page
        assert 'data-warning="consent-withdrawn"' not in page
        me.post(reverse("portal:consent-withdraw", args=[consent.pk]), {"reason": "Not now."})
        page = staff.get(page_url).content.decode()
        assert 'data-warning="consent-withdrawn"' in page
        assert f"Withdrawn on {day(opened_on.date())}: Not now." in page


@pytest.mark.parametrize(("days_before_warning", "warned"), [(0, True), (1, False)])
def test_both_sides_are_warned_from_the_clinics_warning_day(
    client_for, clinic, patient, clinician, nurse, consent_form, lot, days_before_warning, warned
):
    """A consent expires `consent_valid_days` after signing; the portal home and the staff
    page both say so from `consent_warning_days` before, and not the day before that."""
    import time_machine

    with_login(patient, "pat")
    signed_on = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    with time_machine.travel(signed_on, tick=False):
        advance(
            Course.objects.get(patient=patient),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    cfg = clinic.settings
    expires = signed_on.date() + timedelta(days=cfg.consent_valid_days)
    today = expires - timedelta(days=cfg.consent_warning_days + days_before_warning)
    with time_machine.travel(signed_on + (today - signed_on.date()), tick=False):
        portal = client_for(patient.user).get(reverse("portal:home")).content.decode()
        staff = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    for page in (portal, staff):
        assert ('data-warning="consent-expiring"' in page) is warned
    if warned:
        assert f"Your consent runs out on {expires.day} {expires:%B %Y}" in portal
        assert f"Expires on {expires.day} {expires:%b %Y}" in staff
