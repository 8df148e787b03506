"""The patient's MIDAS and management plan in the portal: their own only, in plain words."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from diary.models import QuestionnaireResponse
from diary.services.plans import plan_revise
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


@pytest.fixture
def me(patient):
    patient.user = get_user_model().objects.create_user("me-midas", password="x-long-password-1")
    patient.save()
    return patient


def answers(*days: int) -> dict[str, str]:
    return {f"q{i}": str(d) for i, d in enumerate(days, start=1)}


def test_patient_answers_midas_and_sees_the_trend(client_for, me):
    client = client_for(me.user)
    url = reverse("portal:midas")
    page = client.get(url).content.decode()
    assert 'for="id_q1"' in page and "answered_on" not in page
    token = TOKEN.search(page).group(1)
    response = client.post(url, {**answers(1, 1, 1, 1, 2), "form_token": token})
    assert response.status_code == 302
    stored = QuestionnaireResponse.objects.get(patient=me)
    assert (stored.score, stored.grade, stored.entered_by) == (6, "II", me.user)
    again = client.get(url).content.decode()
    assert 'data-score="6"' in again and "Mild disability" in again
    # The same form sent twice is stored once.
    client.post(url, {**answers(1, 1, 1, 1, 2), "form_token": token})
    assert QuestionnaireResponse.objects.filter(patient=me).count() == 1


def test_a_bad_answer_is_shown_on_its_field(client_for, me):
    response = client_for(me.user).post(reverse("portal:midas"), answers(1, 1, -3, 1, 1))
    assert response.status_code == 400
    assert 'data-refusal="min_value"' in response.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_patient_reads_their_current_plan_in_plain_words(client_for, me, clinician, clinic):
    client = client_for(me.user)
    assert 'data-empty="plan"' in client.get(reverse("portal:plan")).content.decode()
    plan_revise(patient=me, by=clinician, acute_plan="Sumatriptan early", acute_limit_days=10)
    plan_revise(patient=me, by=clinician, acute_plan="Sumatriptan early", acute_limit_days=8)
    theirs = PatientFactory(clinic=clinic)
    plan_revise(patient=theirs, by=clinician, goals="Someone else's goal")
    page = client.get(reverse("portal:plan")).content.decode()
    assert 'data-plan-version="2"' in page and 'data-limit="8"' in page
    assert "no more than <strong>8 days a month</strong>" in page
    assert "Someone else" not in page
    assert reverse("portal:plan") in client.get(reverse("portal:home")).content.decode()
