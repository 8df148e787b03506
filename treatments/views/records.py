"""Staff pages that record each step's facts. Views parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from patients.models import Patient

from .. import course_records, selectors, services
from ..forms import (
    AftercareForm,
    DiscontinueForm,
    FollowUpForm,
    InjectionForm,
)
from ..models import ACTIVE_STATES, Course, State, Transition
from ..pathway import day, not_at_this_step
from ..steps import STEPS


def patient_and_course(request: StaffRequest, pk: int) -> tuple[Patient, Course]:
    """One of the clinic's patients (404 for anyone else's) and their current course."""
    patient, course = course_records.patient_and_course(clinic=request.clinic, pk=pk)
    if course is None:
        raise Http404("This patient has no treatment course.")
    return patient, course


def record_page(
    request: StaffRequest,
    pk: int,
    *,
    action: Action,
    title: str,
    intro: str | Callable[[Course], str],
    make_form: Callable[[Patient, Course, Any], forms.BaseForm],
    save: Callable[[Patient, Course, Any], Any],
    success: str,
    template: str = "treatments/record_form.html",
    states: tuple[State, ...] = (),
    submit_label: str = "Save",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """The shape every step's form shares: scope, permission, validate, call, redirect.
    `extra` is more for the template, from a caller that composes (pages.staff.review)."""
    patient, course = patient_and_course(request, pk)
    require(request.user, action)
    if states and course.state not in states:
        refusal = not_at_this_step(course.get_state_display())
        messages.error(request, refusal.text, extra_tags=refusal.code)
        return redirect("staff:patient", pk=patient.pk)
    form = make_form(patient, course, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(patient, course, form)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, success)
            return redirect("staff:patient", pk=patient.pk)
    return render(
        request,
        template,
        {
            "patient": patient,
            "course": course,
            "form": form,
            "title": title,
            "intro": intro(course) if callable(intro) else intro,
            "submit_label": submit_label,
            **(extra or {}),
        },
        # A form with rows of its own (the injection form's vials) says so.
        status=400 if form.errors or getattr(form, "vials_invalid", False) else 200,
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def injection(request: StaffRequest, pk: int) -> HttpResponse:
    clinic = request.clinic
    # A re-treatment starts from the course's last session (read once for the intro and form).
    known: dict[str, selectors.LastDoses | None] = {}

    def last(course: Course) -> selectors.LastDoses | None:
        if "doses" not in known:
            known["doses"] = selectors.last_doses(course=course)
        return known["doses"]

    def intro(course: Course) -> str:
        text = (
            "Step 3: each vial used (lot, saline, when it was reconstituted, units given and "
            "discarded) and every muscle's sites and units."
        )
        doses = last(course)
        if doses is None:
            return f"{text} Rows start at the fixed PREEMPT doses."
        text += f" Rows start at the last session's sites and units ({day(doses.session_date)})."
        if doses.tolerability:
            text += f" Last session's tolerability: {doses.tolerability}"
        return text

    return record_page(
        request,
        pk,
        action=Action.RECORD_INJECTION,
        states=(State.INJECTION,),
        title="Record injection session",
        intro=intro,
        template="treatments/injection_form.html",
        make_form=lambda p, c, data: InjectionForm(
            data,
            lots=selectors.lots_of(clinic=clinic),
            clinic_settings=c.clinic_settings,
            previous=doses.doses if (doses := last(c)) else None,
            previous_sides=doses.sides if doses else None,
        ),
        save=lambda p, c, form: services.injection_session_record(
            course=c,
            by=request.user,
            session_date=form.cleaned_data["session_date"],
            vials=form.vials.vials(),
            tolerability=form.cleaned_data["tolerability"],
            sites=form.sites(),
            sides=form.sides(),
            conduct=form.conduct(),
        ),
        success=STEPS[Transition.RECORD_INJECTION].success,
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def aftercare(request: StaffRequest, pk: int) -> HttpResponse:
    def make_form(p: Patient, c: Course, data: Any) -> forms.BaseForm:
        session = c.latest_session
        return AftercareForm(
            data,
            session_date=session.session_date if session else timezone.localdate(),
            clinic_settings=c.clinic_settings,
            clinician=session.clinician if session else None,
        )

    return record_page(
        request,
        pk,
        action=Action.ISSUE_AFTERCARE,
        states=(State.POST_CARE,),
        title="Issue aftercare and book the follow-up",
        intro="Step 4: comfort measures, the clinic's written instructions, the follow-up visit.",
        template="treatments/aftercare_form.html",
        make_form=make_form,
        save=lambda p, c, form: services.aftercare_issue(
            course=c,
            by=request.user,
            issued_on=form.cleaned_data["issued_on"],
            comfort_measures=form.cleaned_data["comfort_measures"],
            follow_up_at=form.cleaned_data["follow_up_at"],
            follow_up_clinician=form.cleaned_data["follow_up_clinician"],
        ),
        success="Aftercare issued and follow-up booked.",
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def follow_up(request: StaffRequest, pk: int) -> HttpResponse:
    return record_page(
        request,
        pk,
        action=Action.ISSUE_AFTERCARE,
        states=(State.POST_CARE,),
        title="Book a new follow-up visit",
        intro="The follow-up visit after this session was cancelled or missed.",
        make_form=lambda p, c, data: FollowUpForm(
            data,
            clinic_settings=c.clinic_settings,
            clinician=c.latest_session.clinician if c.latest_session else None,
        ),
        save=lambda p, c, form: services.aftercare_follow_up_rebook(
            course=c,
            by=request.user,
            follow_up_at=form.cleaned_data["follow_up_at"],
            follow_up_clinician=form.cleaned_data["follow_up_clinician"],
        ),
        success="Follow-up visit booked.",
    )


@staff_required
@audited("patient.page_viewed")
@submitted_once
def discontinue(request: StaffRequest, pk: int) -> HttpResponse:
    step = STEPS[Transition.DISCONTINUE]
    return record_page(
        request,
        pk,
        action=step.action,
        states=tuple(ACTIVE_STATES),
        title=step.label,
        intro="The course stops here. A new course can be started later.",
        make_form=lambda p, c, data: DiscontinueForm(data),
        save=lambda p, c, form: services.course_discontinue(
            course=c, by=request.user, **form.cleaned_data
        ),
        success=step.success,
        submit_label=step.label,
    )
