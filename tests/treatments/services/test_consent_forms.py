"""Consent form versions: one active a clinic, a used version never edited, signed consents
keep their own text."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.roles import Role
from tests.factories import ConsentFormFactory, make_staff
from treatments import services
from treatments.models import ConsentForm
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def new(clinic, by, activate=False, **overrides):
    kwargs = {
        "title": "Consent v2",
        "body": "New risks paragraph.",
        "statements": "I agree.\nI understand.",
        "activate": activate,
    }
    kwargs.update(overrides)
    return services.consent_form_create(clinic=clinic, by=by, **kwargs)


def active(clinic):
    return list(ConsentForm.objects.filter(clinic=clinic, is_active=True))


def test_a_new_version_is_numbered_next_and_a_draft_until_activated(
    clinic, clinic_admin, consent_form
):
    draft = new(clinic, clinic_admin)
    assert draft.version == 2 and not draft.is_active
    assert active(clinic) == [consent_form]
    services.consent_form_activate(form=draft, by=clinic_admin)
    assert active(clinic) == [draft]
    with pytest.raises(DomainError) as caught:
        services.consent_form_activate(form=draft, by=clinic_admin)
    assert caught.value.codes == [Reason.CONSENT_FORM_ALREADY_ACTIVE]
    third = new(clinic, clinic_admin, activate=True)
    assert third.version == 3 and active(clinic) == [third]


def test_the_first_version_of_a_clinic_is_active_at_once(clinic, clinic_admin):
    assert new(clinic, clinic_admin).is_active


def test_the_database_refuses_two_active_versions(clinic, consent_form):
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentFormFactory(clinic=clinic, version=2, is_active=True)


def test_empty_text_is_refused(clinic, clinic_admin):
    with pytest.raises(DomainError) as caught:
        new(clinic, clinic_admin, title=" ", body="", statements="\n")
    assert caught.value.codes == [Reason.CONSENT_FORM_EMPTY] * 3
    assert not ConsentForm.objects.exists()


def test_only_admins_write_consent_forms(clinic, consent_form):
    with pytest.raises(PermissionDenied):
        new(clinic, make_staff(clinic, Role.NURSE))


def test_a_used_version_is_never_edited_and_its_signed_copy_keeps_its_text(
    clinic, clinic_admin, clinician, nurse, course, consent_form
):
    draft = new(clinic, clinic_admin)
    services.consent_form_edit(
        form=draft, by=clinic_admin, title="Fixed", body="Typo fixed.", statements="I agree."
    )
    draft.refresh_from_db()
    assert draft.title == "Fixed"
    from tests.journey import advance
    from treatments.models import State

    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=None)
    consent = services.consent_record_paper(
        course=course, by=nurse, signer_name="Ann", signed_on=timezone.localdate()
    )
    with pytest.raises(DomainError) as caught:
        services.consent_form_edit(
            form=consent_form, by=clinic_admin, title="New", body="New", statements="New"
        )
    assert caught.value.codes == [Reason.CONSENT_FORM_USED]
    services.consent_form_activate(form=draft, by=clinic_admin)
    consent.refresh_from_db()
    assert consent.form == consent_form and consent_form.body in consent.text


def test_the_pages(client_for, clinic, clinic_admin, consent_form):
    client = client_for(clinic_admin)
    listing = client.get(reverse("treatments:consent-forms")).content.decode()
    assert 'data-version="1"' in listing and "active" in listing
    start = client.get(reverse("treatments:consent-form-new")).content.decode()
    assert consent_form.body in start  # a copy of the current one to start from
    bad = client.post(
        reverse("treatments:consent-form-new"),
        {"title": "Kept title", "body": " ", "statements": "I agree."},
    )
    assert bad.status_code == 400 and "Kept title" in bad.content.decode()
    made = client.post(
        reverse("treatments:consent-form-new"),
        {"title": "v2", "body": "Body two.", "statements": "I agree.", "activate": "on"},
    )
    assert made.status_code == 302
    assert [f.version for f in active(clinic)] == [2]
    client.post(reverse("treatments:consent-form-activate", args=[consent_form.pk]))
    assert active(clinic) == [consent_form]
