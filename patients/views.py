"""Staff pages about patients alone: booking an appointment, the call-back queue. The pages
that show a patient with their treatment (the list, the patient page, registration, the
portal) are in `pages/`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import Action, StaffRequest, require, staff_required

from . import selectors, services
from .callbacks import answer_due
from .forms import AppointmentForm, CallbackOutcomeForm


@staff_required
def appointment_new(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.BOOK_APPOINTMENT)
    clinic = request.clinic
    patient = selectors.patient_get(clinic=clinic, pk=pk)
    form = AppointmentForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_book(patient=patient, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Appointment booked.")
            return redirect("staff:patient", pk=patient.pk)
    return render(
        request,
        "patients/appointment_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
def callbacks(request: StaffRequest) -> HttpResponse:
    """The clinic's call-back queue, oldest first, each against the clinic's answer target."""
    require(request.user, Action.HANDLE_CALLBACKS)
    clinic = request.clinic
    rows = selectors.callback_rows(
        list(selectors.callback_queue(clinic=clinic)),
        working_days=clinic.settings.callback_target_days,
        now=timezone.now(),
    )
    return render(
        request,
        "patients/callbacks.html",
        {
            "rows": rows,
            "done": selectors.callbacks_done(clinic=clinic),
            "target_days": clinic.settings.callback_target_days,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def callback_detail(request: StaffRequest, pk: int) -> HttpResponse:
    """One request: claim it, record the call, match it to a patient."""
    require(request.user, Action.HANDLE_CALLBACKS)
    clinic = request.clinic
    callback = selectors.callback_get(clinic=clinic, pk=pk)
    form = CallbackOutcomeForm(request.POST if "record" in request.POST else None)
    if request.method == "POST":
        try:
            done = _callback_act(request, callback, form)
        except DomainError as error:
            if form.is_bound:
                add_refusals(form, error)
            else:
                messages.error(request, str(error), extra_tags=" ".join(error.codes))
                return redirect("patients:callback", pk=callback.pk)
        else:
            if done:
                messages.success(request, done)
                return redirect("patients:callback", pk=callback.pk)
    return render(
        request,
        "patients/callback_detail.html",
        {
            "callback": callback,
            "form": form,
            "mine": callback.claimed_by_id == request.user.pk,
            "matches": []
            if callback.patient_id
            else selectors.patients_like(clinic=clinic, name=callback.name, phone=callback.phone),
            "due": answer_due(callback.created_at, clinic.settings.callback_target_days),
        },
        status=400 if form.errors else 200,
    )


def _callback_act(request: StaffRequest, callback: Any, form: CallbackOutcomeForm) -> str:
    """Carry out the button pressed on a request's page; the message to show, or "" when the
    form has errors to show instead."""
    if "claim" in request.POST:
        services.callback_claim(callback=callback, by=request.user)
        return "You are calling this person; record what happened below."
    if "patient" in request.POST:
        patient = selectors.patient_get(clinic=request.clinic, pk=_int(request.POST["patient"]))
        services.callback_match(callback=callback, patient=patient, by=request.user)
        return f"Linked to {patient.full_name}."
    if form.is_bound and form.is_valid():
        services.callback_outcome_record(callback=callback, by=request.user, **form.cleaned_data)
        return "Call recorded."
    return ""


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None
