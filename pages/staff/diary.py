"""Staff and the patient's headache diary: a day entered on the patient's behalf (marked so)
and the diary as a CSV file. The patient is scoped to the staff member's clinic."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import refusal_messages
from botoxcare.pdf import pdf_download
from botoxcare.redirects import redirect_back
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from diary.forms import AcuteMedicineForm
from diary.services import acute_medicine_add
from pages.cycle_summary import cycle_summary_filename, cycle_summary_pdf
from pages.diary_keeping import day_of, day_page, diary_csv
from patients import selectors as patient_selectors
from treatments import selectors as course_selectors


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
        medicine_add=reverse("staff:diary-medicine-add", args=[patient.pk]),
    )


@staff_required
@audited("diary.downloaded")
def diary_export(request: StaffRequest, pk: int) -> StreamingHttpResponse:
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    return diary_csv(patient.pk)


@staff_required
@require_POST
@submitted_once
def diary_medicine_add(request: StaffRequest, pk: int) -> HttpResponse:
    """A medicine added to the patient's list on their behalf, from the day page."""
    require(request.user, Action.ENTER_DIARY)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    form = AcuteMedicineForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            "Please give the medicine's name and kind.",
            extra_tags="medicine_name_missing",
        )
    else:
        try:
            medicine = acute_medicine_add(patient=patient, by=request.user, **form.cleaned_data)
        except DomainError as error:
            refusal_messages(request, error)
        else:
            messages.success(request, f"{medicine.name} is on the patient's list.")
    return redirect_back(request, "staff:patient", patient.pk)


@staff_required
@audited("document.downloaded")
def cycle_summary(request: StaffRequest, pk: int) -> HttpResponse:
    """The clinician's one-page cycle summary (pages.cycle_summary), made now."""
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    today = timezone.localdate()
    pdf = cycle_summary_pdf(
        patient=patient,
        course=course_selectors.course_current(patient=patient),
        today=today,
        for_patient=False,
    )
    return pdf_download(pdf, filename=cycle_summary_filename(patient, today))
