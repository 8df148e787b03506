"""Staff and the patient's headache diary: a day entered on the patient's behalf (marked so)
and the diary as a CSV file. The patient is scoped to the staff member's clinic."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from pages.diary_keeping import day_of, day_page, diary_csv
from patients import selectors as patient_selectors


@staff_required
@require_http_methods(["GET", "POST"])
@audited("diary.viewed")
@submitted_once
def diary_day(request: StaffRequest, pk: int, day: str) -> HttpResponse:
    require(request.user, Action.ENTER_DIARY)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    back = reverse("staff:patient", args=[patient.pk])
    return day_page(
        request,
        patient=patient,
        on=day_of(day),
        done=back,
        back=back,
        url_for=lambda d: reverse("staff:diary-day", args=[patient.pk, d.isoformat()]),
        on_behalf=True,
    )


@staff_required
@audited("diary.downloaded")
def diary_export(request: StaffRequest, pk: int) -> StreamingHttpResponse:
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    return diary_csv(patient.pk)
