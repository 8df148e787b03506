"""Staff pages that record each step. Views parse, call a service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.errors import DomainError
from botoxcare.roles import Action, StaffRequest, require, staff_required
from patients.models import Patient
from patients.selectors import patient_get

from . import pathway, selectors, services
from .forms import (
    AftercareForm,
    ConsentPaperForm,
    ConsultationForm,
    DiscontinueForm,
    FollowUpForm,
    InjectionForm,
    LotForm,
    PreparationForm,
    RetreatmentForm,
)
from .models import Course, ProductLot, State


def _patient_and_course(request: StaffRequest, pk: int) -> tuple[Patient, Course]:
    patient = patient_get(clinic=request.clinic, pk=pk)
    course = selectors.course_current(patient=patient)
    if course is None:
        raise Http404("This patient has no treatment course.")
    return patient, course


def _show_error(request: HttpRequest, form: forms.BaseForm | None, error: DomainError) -> None:
    if form is not None:
        place = getattr(form, "place_error", lambda reason: (None, reason))
        for reason in error.reasons or [error.message]:
            form.add_error(*place(reason))
    else:
        messages.error(request, " ".join([error.message, *error.reasons]))


def _record(
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
    states: tuple[str, ...] = (),
    submit_label: str = "Save",
) -> HttpResponse:
    """The shape every step's form shares: scope, permission, validate, call, redirect."""
    patient, course = _patient_and_course(request, pk)
    require(request.user, action)
    if states and course.state not in states:
        messages.error(
            request,
            f"The course is at '{course.get_state_display()}'; that cannot be recorded now.",
        )
        return redirect("patients:detail", pk=patient.pk)
    form = make_form(patient, course, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(patient, course, form)
        except DomainError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, success)
            return redirect("patients:detail", pk=patient.pk)
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
        },
        status=400 if form.errors else 200,
    )


@staff_required
def consultation(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.RECORD_CONSULTATION,
        states=(State.CONSULTATION,),
        title="Record consultation",
        intro="Step 1: history, previous preventive treatments, diagnosis and the discussion.",
        make_form=lambda p, c, data: ConsultationForm(data),
        save=lambda p, c, form: services.consultation_record(
            course=c, by=request.user, **form.cleaned_data
        ),
        success="Consultation recorded.",
    )


@staff_required
def consent(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.RECORD_CONSENT,
        states=(State.CONSENT,),
        title="Record signed consent",
        intro="Step 2: the patient signed the clinic's current consent form on paper.",
        make_form=lambda p, c, data: ConsentPaperForm(data, initial={"signer_name": p.full_name}),
        save=lambda p, c, form: services.consent_record_paper(
            course=c,
            by=request.user,
            signer_name=form.cleaned_data["signer_name"],
            signed_on=form.cleaned_data["signed_on"],
        ),
        success="Consent recorded.",
    )


@staff_required
def preparation(request: StaffRequest, pk: int) -> HttpResponse:
    from botoxcare.roles import user_can

    can_clear = user_can(request.user, Action.CLEAR_PREPARATION_FLAGS)
    return _record(
        request,
        pk,
        action=Action.RECORD_PREPARATION,
        states=(State.CONSENT,),
        title="Record preparation review",
        intro="Step 2: medicines reviewed, interactions flagged, advice on what to pause.",
        make_form=lambda p, c, data: PreparationForm(
            data, can_clear=can_clear, initial=PreparationForm.initial_from(c.latest_preparation)
        ),
        save=lambda p, c, form: services.preparation_record(
            course=c, by=request.user, **form.service_kwargs()
        ),
        success="Preparation review recorded.",
    )


@staff_required
def injection(request: StaffRequest, pk: int) -> HttpResponse:
    clinic = request.clinic
    return _record(
        request,
        pk,
        action=Action.RECORD_INJECTION,
        states=(State.INJECTION,),
        title="Record injection session",
        intro="Step 3: the product lot, dilution and every muscle's sites and units. "
        "Rows start at the fixed PREEMPT doses.",
        template="treatments/injection_form.html",
        make_form=lambda p, c, data: InjectionForm(
            data,
            lots=selectors.lots_usable(clinic=clinic, on=timezone.localdate()),
            clinic_settings=c.clinic_settings,
        ),
        save=lambda p, c, form: services.injection_session_record(
            course=c,
            by=request.user,
            session_date=form.cleaned_data["session_date"],
            lot=form.cleaned_data["lot"],
            diluent_ml=form.cleaned_data["diluent_ml"],
            units_discarded=form.cleaned_data["units_discarded"],
            tolerability=form.cleaned_data["tolerability"],
            sites=form.sites(),
        ),
        success="Injection session recorded; the course is now at post-treatment care.",
    )


@staff_required
def aftercare(request: StaffRequest, pk: int) -> HttpResponse:
    def make_form(p: Patient, c: Course, data: Any) -> forms.BaseForm:
        session = c.latest_session
        return AftercareForm(
            data,
            session_date=session.session_date if session else timezone.localdate(),
            follow_up_weeks=c.clinic_settings.follow_up_weeks,
        )

    return _record(
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
        ),
        success="Aftercare issued and follow-up booked.",
    )


@staff_required
def follow_up(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.ISSUE_AFTERCARE,
        states=(State.POST_CARE,),
        title="Book a new follow-up visit",
        intro="The follow-up visit after this session was cancelled or missed.",
        make_form=lambda p, c, data: FollowUpForm(data),
        save=lambda p, c, form: services.aftercare_follow_up_rebook(
            course=c, by=request.user, follow_up_at=form.cleaned_data["follow_up_at"]
        ),
        success="Follow-up visit booked.",
    )


@staff_required
def retreatment(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.START_RETREATMENT,
        states=(State.MAINTENANCE,),
        title="Review response and start re-treatment",
        intro=_retreatment_intro,
        make_form=lambda p, c, data: RetreatmentForm(data),
        save=lambda p, c, form: services.retreatment_start(
            course=c, by=request.user, **form.cleaned_data
        ),
        success="Response reviewed; the course is ready for its next injection session.",
    )


def _retreatment_intro(course: Course) -> str:
    text = "Step 5: review how the last cycle went; re-treatment opens a new cycle."
    dates = course.retreatment_dates
    if dates is None:
        return text
    opens, due = dates
    if opens > timezone.localdate():
        return (
            f"{text} The re-treatment window opens on {pathway.day(opens)} (due "
            f"{pathway.day(due)}): to treat earlier, give the clinical reason below."
        )
    return f"{text} The window is open since {pathway.day(opens)}; due {pathway.day(due)}."


@staff_required
def review(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.START_RETREATMENT,
        states=(State.INJECTION,),
        title="Review response",
        intro="Review how the last cycle went before the next session.",
        make_form=lambda p, c, data: RetreatmentForm(data),
        save=lambda p, c, form: services.response_review_record(
            course=c, by=request.user, **form.cleaned_data
        ),
        success="Response reviewed.",
    )


@staff_required
def discontinue(request: StaffRequest, pk: int) -> HttpResponse:
    return _record(
        request,
        pk,
        action=Action.DISCONTINUE,
        states=tuple(s for s in State.values if s != State.DISCONTINUED),
        title="Discontinue course",
        intro="The course stops here. A new course can be started later.",
        make_form=lambda p, c, data: DiscontinueForm(data),
        save=lambda p, c, form: services.course_discontinue(
            course=c, by=request.user, **form.cleaned_data
        ),
        success="Course discontinued.",
        submit_label="Discontinue course",
    )


STEP_MESSAGES = {
    "complete_evaluation": "Evaluation complete: the patient is preparing for treatment.",
    "decline": "Recorded that the patient declines treatment; the course is discontinued.",
    "record_consent": "Consent and preparation confirmed: ready for injection.",
    "renew_consent": "The course is back at step 2 for a new consent.",
}

STEP_CONFIRM = {
    "complete_evaluation": "The patient moves to step 2, preparing for treatment.",
    "decline": "The course will be discontinued as the patient's choice. A new course can be "
    "started later.",
    "record_consent": "The patient moves to step 3, ready for injection.",
    "renew_consent": "The course goes back to step 2: a new signed consent and a new "
    "preparation review are needed before the next session.",
}


@staff_required
@require_http_methods(["GET", "POST"])
def step(request: StaffRequest, pk: int, name: str) -> HttpResponse:
    """Take a step that needs no form. GET asks to confirm; POST takes the step, and a refusal
    is explained on the patient page."""
    if name not in STEP_MESSAGES:
        raise Http404
    patient, course = _patient_and_course(request, pk)
    require(request.user, services.TRANSITION_ACTIONS[name])
    if request.method == "GET":
        return render(
            request,
            "treatments/confirm.html",
            {
                "patient": patient,
                "course": course,
                "name": name,
                "label": STEP_LABELS[name],
                "consequence": STEP_CONFIRM[name],
            },
        )
    try:
        services.course_transition(course=course, name=name, by=request.user)
    except DomainError as error:
        _show_error(request, None, error)
    else:
        messages.success(request, STEP_MESSAGES[name])
    return redirect("patients:detail", pk=patient.pk)


STEP_LABELS = {
    "complete_evaluation": "Complete evaluation",
    "decline": "Patient declines treatment",
    "record_consent": "Confirm ready for injection",
    "renew_consent": "Renew consent",
}


@staff_required
@require_POST
def maintenance(request: StaffRequest, pk: int) -> HttpResponse:
    patient, course = _patient_and_course(request, pk)
    try:
        services.course_maintenance_start(course=course, by=request.user)
    except DomainError as error:
        _show_error(request, None, error)
    else:
        messages.success(request, "The course is now in maintenance; reminders are scheduled.")
    return redirect("patients:detail", pk=patient.pk)


@staff_required
@require_POST
def course_start(request: StaffRequest, pk: int) -> HttpResponse:
    patient = patient_get(clinic=request.clinic, pk=pk)
    try:
        services.course_start(patient=patient, by=request.user, started_on=timezone.localdate())
    except DomainError as error:
        _show_error(request, None, error)
    else:
        messages.success(request, "A new treatment course has started at step 1.")
    return redirect("patients:detail", pk=patient.pk)


@staff_required
def lots(request: StaffRequest) -> HttpResponse:
    clinic = request.clinic
    require(request.user, Action.MANAGE_LOTS)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_lot_add(clinic=clinic, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _show_error(request, form, error)
        else:
            messages.success(request, "Lot added to stock.")
            return redirect("treatments:lots")
    stock = ProductLot.objects.filter(clinic=clinic).order_by("-expiry_date")[:100]
    return render(
        request,
        "treatments/lots.html",
        {
            "form": form,
            "lots": stock,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )
