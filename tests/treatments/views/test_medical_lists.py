"""The patient's medical lists from the pages: added and removed by clinicians and nurses
(not reception), only for the clinic's own patients (404 otherwise), a form sent twice adding
one row; shown on the consultation page with the start rule's count, on the patient page, and
read-only on the preparation review and beside the injection session (its include)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from botoxcare.models import AuditEvent
from botoxcare.submissions import form_token_new
from tests.factories import PatientFactory
from tests.journey import advance, consultation_kwargs
from tests.web import detail
from treatments import services
from treatments.models import Allergy, Course, CurrentMedicine, PreventiveTreatment, State
from treatments.services.history import allergy_add, current_medicine_add

pytestmark = pytest.mark.django_db


def add_url(patient, kind):
    return reverse("treatments:list-add", args=[patient.pk, kind])


def remove_url(patient, kind, pk):
    return reverse("treatments:list-remove", args=[patient.pk, kind, pk])


MEDICINE = {"m-name": "Apixaban", "m-dose": "5 mg bd", "m-since": "2026-01-10"}


def test_a_nurse_adds_a_medicine_and_goes_back_where_she_was(client_for, nurse, patient):
    back = reverse("staff:patient", args=[patient.pk])
    response = client_for(nurse).post(add_url(patient, "medicines"), {**MEDICINE, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    medicine = CurrentMedicine.objects.get(patient=patient)
    assert (medicine.name, medicine.dose, str(medicine.since)) == (
        "Apixaban",
        "5 mg bd",
        "2026-01-10",
    )
    event = AuditEvent.objects.get(action="medicine.added")
    assert event.patient_id == patient.pk and event.data["name"] == "Apixaban"


def test_a_clinician_adds_a_preventive_and_an_allergy(client_for, clinician, patient):
    client = client_for(clinician)
    client.post(
        add_url(patient, "preventives"),
        {
            "p-drug_class": "candesartan",
            "p-drug": "Candesartan",
            "p-dose": "16 mg",
            "p-duration_weeks": "12",
            "p-outcome": "not_tolerated",
        },
    )
    client.post(add_url(patient, "allergies"), {"a-substance": "Penicillin", "a-reaction": "Rash"})
    assert PreventiveTreatment.objects.filter(patient=patient, drug_class="candesartan").exists()
    assert Allergy.objects.get(patient=patient).reaction == "Rash"


def test_another_class_needs_the_drugs_name(client_for, clinician, patient):
    before = PreventiveTreatment.objects.count()
    response = client_for(clinician).post(
        add_url(patient, "preventives"),
        {"p-drug_class": "other", "p-outcome": "ineffective"},
        follow=True,
    )
    assert 'data-refusal="preventive_drug_missing"' in response.content.decode()
    assert PreventiveTreatment.objects.count() == before


def test_a_form_sent_twice_adds_one_row(client_for, nurse, patient):
    client = client_for(nurse)
    data = {**MEDICINE, "form_token": form_token_new()}
    client.post(add_url(patient, "medicines"), data)
    client.post(add_url(patient, "medicines"), data)
    assert CurrentMedicine.objects.filter(patient=patient).count() == 1


def test_removing_a_row(client_for, nurse, clinician, patient):
    allergy = allergy_add(patient=patient, by=clinician, substance="Latex")
    response = client_for(nurse).post(remove_url(patient, "allergies", allergy.pk))
    assert response.status_code == 302
    assert not Allergy.objects.exists()
    assert AuditEvent.objects.get(action="allergy.removed").data["substance"] == "Latex"


def test_reception_may_not_keep_the_lists(client_for, receptionist, clinician, patient):
    allergy = allergy_add(patient=patient, by=clinician, substance="Latex")
    client = client_for(receptionist)
    assert client.post(add_url(patient, "medicines"), MEDICINE).status_code == 403
    assert client.post(remove_url(patient, "allergies", allergy.pk)).status_code == 403
    assert not CurrentMedicine.objects.exists() and Allergy.objects.count() == 1
    page = client.get(detail(patient)).content.decode()
    assert 'data-card="medical-lists"' not in page and "Latex" not in page


def test_another_clinics_patient_or_row_is_404(client_for, clinician, other_clinic, patient):
    foreign = PatientFactory(clinic=other_clinic)
    foreign_allergy = allergy_add(patient=foreign, by=clinician, substance="Latex")
    client = client_for(clinician)
    assert client.post(add_url(foreign, "medicines"), MEDICINE).status_code == 404
    assert client.post(remove_url(foreign, "allergies", foreign_allergy.pk)).status_code == 404
    # Another patient's row through one's own patient's address is not found either.
    assert client.post(remove_url(patient, "allergies", foreign_allergy.pk)).status_code == 404
    assert client.post(add_url(patient, "nonsense"), MEDICINE).status_code == 404
    assert not CurrentMedicine.objects.exists() and Allergy.objects.count() == 1


def test_get_is_not_allowed(client_for, nurse, patient):
    assert client_for(nurse).get(add_url(patient, "medicines")).status_code == 405


def test_the_consultation_page_lists_them_with_the_count(client_for, clinician, patient):
    current_medicine_add(patient=patient, by=clinician, name="Propranolol")
    page = (
        client_for(clinician).get(reverse("staff:consultation", args=[patient.pk])).content.decode()
    )
    assert 'data-start-rule="3"' in page
    assert 'data-list="preventives"' in page and "Amitriptyline" in page
    assert add_url(patient, "preventives") in page and "Propranolol" in page
    # The lists' forms are not inside the consultation's form.
    lists, form = page.index('data-card="medical-lists"'), page.index('name="history"')
    assert page.rfind("<form", 0, form) > page.rfind("</form>", 0, form) > lists


def test_the_patient_page_shows_them_to_clinical_roles(client_for, nurse, clinician, patient):
    allergy_add(patient=patient, by=clinician, substance="Latex", reaction="Hives")
    page = client_for(nurse).get(detail(patient)).content.decode()
    assert 'data-card="medical-lists"' in page and "Latex: Hives" in page
    assert remove_url(patient, "allergies", Allergy.objects.get().pk) in page


@pytest.fixture
def at_consent(patient, clinician, nurse, lot) -> Course:
    return advance(
        Course.objects.get(patient=patient),
        State.CONSENT,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
    )


def test_the_preparation_review_shows_them_read_only(
    client_for, nurse, clinician, patient, at_consent
):
    current_medicine_add(patient=patient, by=clinician, name="Apixaban", dose="5 mg bd")
    allergy_add(patient=patient, by=clinician, substance="Latex", reaction="Hives")
    page = (
        client_for(nurse).get(reverse("treatments:preparation", args=[patient.pk])).content.decode()
    )
    assert 'data-card="medicines-allergies"' in page
    assert "Apixaban 5 mg bd" in page and "Latex: Hives" in page
    assert "list-remove" not in page and "/remove/" not in page


def test_the_injection_forms_include_shows_them(clinician, patient):
    current_medicine_add(patient=patient, by=clinician, name="Clopidogrel", dose="75 mg")
    html = render_to_string("treatments/includes/medicines_allergies.html", {"patient": patient})
    assert "Clopidogrel 75 mg" in html and "No allergies recorded." in html


def test_the_injection_form_shows_them_beside_the_session(
    client_for, clinician, nurse, patient, lot, consent_form
):
    course = Course.objects.get(patient=patient)
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    allergy_add(patient=patient, by=clinician, substance="Latex", reaction="Hives")
    page = client_for(clinician).get(reverse("treatments:injection", args=[patient.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-card="medicines-allergies"' in html and "Latex: Hives" in html
    assert html.index("medicines-allergies") < html.index("Vials used")


def test_the_timeline_gives_the_consultations_count(client_for, clinician, patient):
    course = Course.objects.get(patient=patient)
    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    page = client_for(clinician).get(detail(patient)).content.decode()
    assert "Failed preventives: 3" in page and "typed, before the list" not in page
    consultation = course.consultations.get()
    consultation.failed_preventives_count = 4  # as one recorded before the list
    consultation.save()
    page = client_for(clinician).get(detail(patient)).content.decode()
    assert "Failed preventives: 4 (typed, before the list)" in page
