"""Staff actions that take a step with no form of its own (after a confirmation where the step
table asks for one), start a course, close an appointment, and keep the stock."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.redirects import redirect_back
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from patients.selectors import patient_get

from .. import selectors, services
from ..forms import LotForm
from ..models import Transition
from ..steps import STEPS, step_for
from .records import patient_and_course


def _refused(request: HttpRequest, error: DomainError) -> None:
    """A refusal without a form: explained at the top of the patient page."""
    messages.error(request, str(error), extra_tags=" ".join(error.codes))


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patient.page_viewed")
def step(request: StaffRequest, pk: int, name: str) -> HttpResponse:
    """Take a step that records nothing but itself. GET asks to confirm; POST takes the step,
    and a refusal is explained on the patient page."""
    found = step_for(name)
    if found is None or not found.generic:
        raise Http404
    patient, course = patient_and_course(request, pk)
    require(request.user, found.action)
    if request.method == "GET":
        return render(
            request,
            "treatments/confirm.html",
            {"patient": patient, "course": course, "step": found},
        )
    try:
        services.course_transition(course=course, name=found.transition, by=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, found.success)
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_POST
def maintenance(request: StaffRequest, pk: int) -> HttpResponse:
    patient, course = patient_and_course(request, pk)
    try:
        services.course_maintenance_start(course=course, by=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, STEPS[Transition.START_MAINTENANCE].success)
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_POST
def consent_send(request: StaffRequest, pk: int) -> HttpResponse:
    """Send the clinic's consent to the patient to sign in the portal."""
    patient, course = patient_and_course(request, pk)
    try:
        services.consent_request_send(course=course, by=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(
            request, "Consent sent: the patient is told a document waits in their portal."
        )
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_POST
def course_start(request: StaffRequest, pk: int) -> HttpResponse:
    patient = patient_get(clinic=request.clinic, pk=pk)
    try:
        services.course_start(patient=patient, by=request.user, started_on=timezone.localdate())
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, "A new treatment course has started at step 1.")
    return redirect("staff:patient", pk=patient.pk)


@staff_required
@require_POST
def appointment_status(request: StaffRequest, pk: int, appointment_pk: int) -> HttpResponse:
    """Mark one of this patient's booked visits attended, did-not-attend or cancelled."""
    require(request.user, Action.BOOK_APPOINTMENT)
    patient = patient_get(clinic=request.clinic, pk=pk)
    appointment = get_object_or_404(patient.appointments, pk=appointment_pk)
    try:
        closed = services.appointment_close(
            appointment=appointment,
            by=request.user,
            status=request.POST.get("status", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, f"Appointment marked {closed.get_status_display().lower()}.")
    return redirect_back(request, "staff:patient", patient.pk)


@staff_required
@submitted_once
def lots(request: StaffRequest) -> HttpResponse:
    clinic = request.clinic
    require(request.user, Action.MANAGE_LOTS)
    form = LotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_lot_add(clinic=clinic, by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, "Lot added to stock.")
            return redirect("treatments:lots")
    today = timezone.localdate()
    return render(
        request,
        "treatments/lots.html",
        {
            "form": form,
            "lots": [
                (lot, not lot.usable_on(today)) for lot in selectors.lots_in_stock(clinic=clinic)
            ],
        },
        status=400 if form.errors else 200,
    )
