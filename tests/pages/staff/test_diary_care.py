"""The staff side of MIDAS, the management plan and the diary chart: recorded on the patient's
behalf, a new plan version each change, the history, and the patient page's cards; only for
the roles the matrix names; another clinic's patient is a 404."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from diary.models import ManagementPlan, QuestionnaireResponse
from tests.diary.factories import entry
from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


def form_post(client, url: str, data: dict) -> object:
    """Post `data` with the token the page's form carries."""
    token = TOKEN.search(client.get(url).content.decode())
    assert token, "the form carries no form token"
    return client.post(url, {**data, "form_token": token.group(1)})


def midas(days=(3, 2, 1, 0, 5), on=None) -> dict:
    answered = on or timezone.localdate()
    return {"answered_on": answered.isoformat()} | {
        f"q{i}": str(d) for i, d in enumerate(days, start=1)
    }


PLAN = {
    "sleep": "Bed by 23:00, up at 7:00",
    "meals": "",
    "hydration": "Two litres a day",
    "triggers": "",
    "exercise": "",
    "preventives": "Amitriptyline 10 mg at night",
    "acute_plan": "Sumatriptan 50 mg early",
    "acute_limit_days": "8",
    "other_interventions": "",
    "goals": "Back to full-time work",
}


def test_nurse_records_a_midas_on_the_patients_behalf(client_for, nurse, patient):
    client = client_for(nurse)
    url = reverse("staff:midas-new", args=[patient.pk])
    response = form_post(client, url, midas(on=timezone.localdate() - timedelta(days=2)))
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:patient", args=[patient.pk])
    stored = QuestionnaireResponse.objects.get(patient=patient)
    assert (stored.score, stored.grade, stored.entered_by) == (11, "III", nurse)
    page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert 'data-score="11"' in page and 'data-grade="III"' in page
    assert "(for the patient)" in page


def test_an_impossible_answer_is_a_form_error_and_stores_nothing(client_for, nurse, patient):
    client = client_for(nurse)
    url = reverse("staff:midas-new", args=[patient.pk])
    response = form_post(client, url, midas(days=(91, 0, 0, 0, 0)))
    assert response.status_code == 400
    assert 'data-refusal="max_value"' in response.content.decode()
    future = form_post(client, url, midas(on=timezone.localdate() + timedelta(days=1)))
    assert future.status_code == 400
    assert 'data-refusal="future_date"' in future.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def test_receptionist_may_not_record_or_plan_and_sees_no_cards(client_for, receptionist, patient):
    client = client_for(receptionist)
    assert client.get(reverse("staff:midas-new", args=[patient.pk])).status_code == 403
    assert client.get(reverse("staff:plan-edit", args=[patient.pk])).status_code == 403
    assert client.get(reverse("staff:plan-history", args=[patient.pk])).status_code == 403
    page = client.get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert 'data-card="midas"' not in page and 'data-card="plan"' not in page


def test_another_clinics_patient_is_a_404(client_for, nurse, other_clinic):
    theirs = PatientFactory(clinic=other_clinic)
    client = client_for(nurse)
    for name in ("staff:midas-new", "staff:plan-edit", "staff:plan-history"):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404


def test_each_plan_change_is_a_new_version_with_its_history(client_for, clinician, nurse, patient):
    url = reverse("staff:plan-edit", args=[patient.pk])
    assert form_post(client_for(clinician), url, PLAN).status_code == 302
    edit = client_for(nurse).get(url).content.decode()
    assert "Bed by 23:00" in edit and "Saving writes version 2" in edit
    changed = {**PLAN, "acute_limit_days": "6", "goals": "Fewer days off"}
    assert form_post(client_for(nurse), url, changed).status_code == 302
    first, second = ManagementPlan.objects.filter(patient=patient).order_by("version")
    assert (first.acute_limit_days, first.created_by) == (8, clinician)
    assert (second.acute_limit_days, second.created_by) == (6, nurse)
    history = client_for(clinician).get(reverse("staff:plan-history", args=[patient.pk]))
    text = history.content.decode()
    assert history.status_code == 200
    assert 'data-version="2"' in text and 'data-version="1"' in text
    assert text.index('data-version="2"') < text.index('data-version="1"')
    assert 'data-changed="Most days a month for acute medicines"' in text
    assert 'data-changed="Goals"' in text
    assert AuditEvent.objects.filter(action="plan.revised", patient_id=patient.pk).count() == 2


def test_an_unchanged_plan_is_refused_on_the_form(client_for, clinician, patient):
    url = reverse("staff:plan-edit", args=[patient.pk])
    client = client_for(clinician)
    form_post(client, url, PLAN)
    again = form_post(client, url, PLAN)
    assert again.status_code == 400
    assert 'data-refusal="plan_unchanged"' in again.content.decode()
    assert ManagementPlan.objects.filter(patient=patient).count() == 1


@pytest.fixture
def diary_in_maintenance(patient, clinician, nurse, consent_form, lot):
    start = timezone.localdate() - timedelta(weeks=8)
    course = advance(
        Course.objects.get(patient=patient),
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start,
    )
    today = timezone.localdate()
    for back in range(1, 40):
        headache = back % 2 == 0
        entry(
            patient, today - timedelta(days=back), headache=headache, hours=3 if headache else None
        )
    return course


def test_patient_page_shows_the_chart_with_its_sessions_and_table(
    client_for, clinician, receptionist, patient, diary_in_maintenance
):
    page = client_for(clinician).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    assert 'data-card="diary-chart"' in page
    svg = page[page.index("<svg") : page.index("</svg>") + 6]
    sessions = list(diary_in_maintenance.sessions.values_list("session_date", flat=True))
    inside = [d for d in sessions if d.isoformat() in svg]
    assert svg.count('class="session"') == len(inside) >= 1
    assert "<desc" in svg and 'data-table="diary-chart"' in page
    other = client_for(receptionist).get(reverse("staff:patient", args=[patient.pk]))
    assert 'data-card="diary-chart"' not in other.content.decode()
