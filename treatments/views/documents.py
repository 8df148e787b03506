"""Staff downloads of a patient's stored documents. A download serves the stored bytes; it
never renders."""

from __future__ import annotations

from django.http import HttpResponse

from botoxcare.audit import audited
from botoxcare.pdf import pdf_download
from botoxcare.roles import Action, StaffRequest, require, staff_required
from patients.selectors import patient_get

from .. import selectors


@staff_required
@audited("document.downloaded")
def document(request: StaffRequest, pk: int, document_pk: int) -> HttpResponse:
    patient = patient_get(clinic=request.clinic, pk=pk)
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    stored = selectors.document_get(patient=patient, pk=document_pk)
    return pdf_download(stored.pdf, filename=stored.filename)
