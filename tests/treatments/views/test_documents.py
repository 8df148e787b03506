"""Staff download a patient's stored PDFs: their clinic's only, never rendered again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.journey import advance
from tests.pdf import pdf_text
from treatments.models import Document, DocumentKind, State
from treatments.services import documents as documents_module

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(course, clinician, nurse, consent_form, lot, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    return {d.kind: d for d in Document.objects.all()}


def never_render(*args, **kwargs):
    raise AssertionError("a download rendered a PDF")


def test_staff_download_the_stored_pdf_without_rendering(
    client_for, nurse, patient, documents, monkeypatch
):
    monkeypatch.setattr(documents_module, "render_pdf", never_render)
    monkeypatch.setattr("botoxcare.pdf.render_pdf", never_render)
    doc = documents[DocumentKind.AFTERCARE]
    response = client_for(nurse).get(reverse("treatments:document", args=[patient.pk, doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == bytes(doc.pdf)


def test_the_patient_page_lists_the_courses_documents(client_for, nurse, patient, documents):
    page = client_for(nurse).get(reverse("staff:patient", args=[patient.pk])).content.decode()
    for doc in documents.values():
        assert reverse("treatments:document", args=[patient.pk, doc.pk]) in page
    assert "Signed consent" in page
    assert "Aftercare instructions" in page


def test_receptionists_may_not_download_clinical_documents(
    client_for, receptionist, patient, documents
):
    doc = documents[DocumentKind.CONSENT]
    url = reverse("treatments:document", args=[patient.pk, doc.pk])
    assert client_for(receptionist).get(url).status_code == 403
    page = client_for(receptionist).get(reverse("staff:patient", args=[patient.pk]))
    assert url not in page.content.decode()


def test_the_pdf_downloaded_is_the_documents_text(client_for, clinician, patient, documents):
    doc = documents[DocumentKind.CONSENT]
    response = client_for(clinician).get(reverse("treatments:document", args=[patient.pk, doc.pk]))
    assert doc.consent.text_sha256 in pdf_text(response.content)
