"""Steps taken by a button: confirmation first where asked, refusals explained on the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.journey import advance
from tests.web import detail, state_of, url
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def test_refused_evaluation_is_explained_and_changes_nothing(client_for, patient, clinician):
    doc = client_for(clinician)
    response = doc.post(url("step", patient, "complete_evaluation"), follow=True)
    page = response.content.decode()
    assert 'class="msg error" data-refusal="no_consultation"' in page
    assert state_of(patient) == State.CONSULTATION


def test_refused_consent_step_lists_what_is_missing(
    client_for, patient, clinician, nurse, consent_form, lot
):
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot)
    page = client_for(nurse).post(url("step", patient, "record_consent"), follow=True)
    text = page.content.decode()
    assert 'data-refusal="no_consent"' in text
    assert state_of(patient) == State.CONSENT


def test_refused_maintenance_is_explained(client_for, patient, clinician, nurse, consent_form, lot):
    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot)
    page = (
        client_for(nurse)
        .post(reverse("treatments:maintenance", args=[patient.pk]), follow=True)
        .content.decode()
    )
    assert 'data-refusal="aftercare_not_issued"' in page
    assert state_of(patient) == State.POST_CARE


def test_step_that_is_not_possible_in_this_state_is_refused(client_for, patient, clinician):
    response = client_for(clinician).post(url("step", patient, "record_consent"), follow=True)
    assert 'data-refusal="step_not_possible"' in response.content.decode()
    assert state_of(patient) == State.CONSULTATION


def test_renew_consent_asks_first_and_get_changes_nothing(
    client_for, patient, clinician, nurse, consent_form, lot
):
    advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )
    client = client_for(nurse)
    page = client.get(detail(patient)).content.decode()
    confirm_url = url("step", patient, "renew_consent")
    assert f'href="{confirm_url}"' in page  # a link to a confirmation, not a one-click button
    confirm = client.get(confirm_url)
    assert confirm.status_code == 200
    assert "a new signed consent and a new preparation review are needed" in (
        confirm.content.decode()
    )
    assert state_of(patient) == State.MAINTENANCE
    client.post(confirm_url)
    assert state_of(patient) == State.CONSENT


def test_unknown_step_is_404(client_for, patient, clinician):
    assert client_for(clinician).post(url("step", patient, "teleport")).status_code == 404
