"""The response review and the re-treatment step with the diary's figures: baseline, this
cycle and the % change beside the form, and the stop rule (NICE TA260) judged here and passed
into the treatments service, which asks for a clinician's reason when it is met (treatments
reads no diary: ARCHITECTURE "the caller passes it in").

These views are the re-treatment and response review pages (`staff:retreatment`, `staff:review`):
pages.staff's URLs are matched first (botoxcare/urls.py), so the same paths and names lead
here, and the treatments views stay for the pages that compose nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from botoxcare.audit import audited
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from diary.figures import Finding, flag_periods, percent, stop_rule
from diary.selectors import DiarySummary, diary_summary
from treatments import services
from treatments.forms import RetreatmentForm
from treatments.models import Course, State, Transition
from treatments.pathway import day
from treatments.retreatment import Due
from treatments.steps import STEPS
from treatments.views import records


def _figures(request: StaffRequest, pk: int) -> tuple[DiarySummary, Finding]:
    patient, course = records.patient_and_course(request, pk)
    rules = patient.clinic.settings
    summary = diary_summary(
        patient=patient,
        course=course,
        rules=rules,
        end=timezone.localdate(),
        count=flag_periods(rules),
    )
    return summary, stop_rule(summary, rules)


def _context(summary: DiarySummary, finding: Finding) -> dict[str, Any]:
    latest = summary.latest_cycle
    return {
        "diary_review": {
            "baseline": summary.baseline,
            "cycle": latest,
            "change": percent(latest.response.change_percent) if latest else "",
            "stop_rule": finding,
        }
    }


def _page(request: StaffRequest, pk: int, *, states: tuple[State, ...], **kwargs: Any) -> Any:
    require(request.user, Action.START_RETREATMENT)
    summary, finding = _figures(request, pk)
    judged = {"stop_rule_met": finding.met, "stop_rule_why": finding.why}
    save = kwargs.pop("service")
    return records.record_page(
        request,
        pk,
        action=Action.START_RETREATMENT,
        states=states,
        make_form=lambda p, c, data: RetreatmentForm(data),
        save=lambda p, c, form: save(course=c, by=request.user, **form.cleaned_data, **judged),
        template="staff/retreatment_review.html",
        extra=_context(summary, finding),
        **kwargs,
    )


def _retreatment_intro(course: Course) -> str:
    text = "Step 5: review how the last cycle went; re-treatment opens a new cycle."
    status = course.retreatment_status(timezone.localdate())
    if status is None:
        return text
    opens, due = day(status.opens), day(status.due)
    if status.kind == Due.BEFORE_WINDOW:
        return (
            f"{text} The re-treatment window opens on {opens} (due {due}): to treat earlier, "
            "give the clinical reason below."
        )
    return f"{text} The window is open since {opens}; due {due}."


@staff_required
@audited("patient.page_viewed")
@submitted_once
def retreatment(request: StaffRequest, pk: int) -> HttpResponse:
    step = STEPS[Transition.START_RETREATMENT]
    return _page(
        request,
        pk,
        states=(State.MAINTENANCE,),
        title=step.label,
        intro=_retreatment_intro,
        service=services.retreatment_start,
        success=step.success,
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def review(request: StaffRequest, pk: int) -> HttpResponse:
    return _page(
        request,
        pk,
        states=(State.INJECTION,),
        title="Review response",
        intro="Review how the last cycle went before the next session.",
        service=services.response_review_record,
        success="Response reviewed.",
    )
