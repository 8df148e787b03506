"""The staff side of the questionnaires, the management plan and the diary chart: MIDAS
recorded on the patient's behalf, a new plan version, the plan's history, and what the
patient page shows of them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from diary import care_selectors
from diary.care_forms import MidasForm, PlanForm
from diary.chart import diary_chart
from diary.services.plans import plan_revise, plan_values
from diary.services.questionnaires import questionnaire_record
from patients import selectors as patient_selectors
from patients.models import Patient

from .diary_card import DiaryCard


def diary_care_context(
    patient: Patient, *, clinical: bool, card: DiaryCard | None
) -> dict[str, Any]:
    """What the patient page shows of the chart, MIDAS and the plan: nothing unless the user
    reads the clinical record. The chart draws the diary card's periods and sessions, so the
    page reads them once."""
    if not clinical:
        return {}
    chart = None
    if card is not None and not card.empty:
        summary = card.summary
        chart = diary_chart(summary.periods, [c.session_date for c in summary.cycles])
    return {
        "diary_chart": chart,
        "midas_trend": care_selectors.midas_trend(patient=patient),
        "plan": care_selectors.plan_current(patient=patient),
    }


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
@submitted_once
def midas_new(request: StaffRequest, pk: int) -> HttpResponse:
    """Record a MIDAS the patient answered (on paper, by phone) on their behalf."""
    require(request.user, Action.RECORD_QUESTIONNAIRE)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    form = MidasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            response = questionnaire_record(
                patient=patient,
                by=request.user,
                answers=form.answers(),
                answered_on=form.cleaned_data["answered_on"],
                today=timezone.localdate(),
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(
                request, f"MIDAS recorded: score {response.score}, grade {response.grade}."
            )
            return redirect("staff:patient", patient.pk)
    return render(
        request,
        "staff/midas_form.html",
        {"patient": patient, "form": form, "trend": care_selectors.midas_trend(patient=patient)},
        status=400 if form.errors else 200,
    )


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
@submitted_once
def plan_edit(request: StaffRequest, pk: int) -> HttpResponse:
    """A new version of the management plan, the form filled with the current one."""
    require(request.user, Action.MANAGE_PLAN)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    current = care_selectors.plan_current(patient=patient)
    form = PlanForm(request.POST or None, initial=plan_values(current))
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_revise(patient=patient, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"Management plan saved as version {plan.version}.")
            return redirect("staff:patient", patient.pk)
    return render(
        request,
        "staff/plan_form.html",
        {"patient": patient, "form": form, "current": current},
        status=400 if form.errors else 200,
    )


@staff_required
@audited("plan.history_viewed")
def plan_history(request: StaffRequest, pk: int) -> HttpResponse:
    """Every version of the plan: who wrote it, when, and what it changed."""
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    patient = patient_selectors.patient_get(clinic=request.clinic, pk=pk)
    return render(
        request,
        "staff/plan_history.html",
        {"patient": patient, "versions": care_selectors.plan_history(patient=patient)},
    )
