"""The patient's own MIDAS questionnaire (with how their scores went) and their current
management plan, in plain words."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.pdf import pdf_download
from botoxcare.submissions import submitted_once
from diary import care_selectors
from diary.care_forms import MidasForm
from diary.midas import GRADE_MEANING
from diary.services.questionnaires import questionnaire_record
from pages.cycle_summary import cycle_summary_filename, cycle_summary_pdf
from patients.selectors import patient_for_user
from treatments.selectors import course_current


@login_required
@require_http_methods(["GET", "POST"])
@audited("portal.viewed", patient="self")
@submitted_once
def midas(request: HttpRequest) -> HttpResponse:
    """The five MIDAS questions about the last three months, answered today."""
    patient = patient_for_user(request.user)
    form = MidasForm(request.POST or None, ask_day=False)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        try:
            response = questionnaire_record(
                patient=patient,
                by=request.user,
                answers=form.answers(),
                answered_on=today,
                today=today,
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(
                request,
                f"Thank you. Your MIDAS score is {response.score} "
                f"({GRADE_MEANING[response.grade].lower()}); the clinic sees it too.",
            )
            return redirect("portal:midas")
    return render(
        request,
        "portal/midas.html",
        {"patient": patient, "form": form, "trend": care_selectors.midas_trend(patient=patient)},
        status=400 if form.errors else 200,
    )


@login_required
@audited("portal.viewed", patient="self")
def plan(request: HttpRequest) -> HttpResponse:
    """The current version of the patient's management plan."""
    patient = patient_for_user(request.user)
    return render(
        request,
        "portal/plan.html",
        {"patient": patient, "plan": care_selectors.plan_current(patient=patient)},
    )


@login_required
@audited("document.downloaded", patient="self")
def cycle_summary(request: HttpRequest) -> HttpResponse:
    """The patient's own cycle summary in plain words (pages.cycle_summary), made now."""
    patient = patient_for_user(request.user)
    today = timezone.localdate()
    pdf = cycle_summary_pdf(
        patient=patient,
        course=course_current(patient=patient),
        today=today,
        for_patient=True,
    )
    return pdf_download(pdf, filename=cycle_summary_filename(patient, today))
