"""Staff pages about patients, and the patient's own portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.errors import DomainError
from botoxcare.notify import sms_backend
from botoxcare.roles import Action, StaffRequest, permissions, require, staff_required
from treatments import pathway
from treatments import selectors as course_selectors
from treatments.models import Aftercare, State

from . import selectors, services
from .forms import AppointmentForm, PatientForm

PAGE_SIZE = 25


SEARCH_KEY = "patient_search"


@staff_required
@require_http_methods(["GET", "POST"])
def patient_list(request: StaffRequest) -> HttpResponse:
    """The clinic's patients. The search is POSTed and kept in the session, so that names and
    identifiers never appear in URLs (and so in access logs or browser history)."""
    require(request.user, Action.VIEW_PATIENTS)
    if request.method == "POST":
        if "clear" in request.POST:
            request.session.pop(SEARCH_KEY, None)
        else:
            state = request.POST.get("state", "")
            request.session[SEARCH_KEY] = {
                "q": request.POST.get("q", "").strip()[:100],
                "state": state if state in State.values else "",
            }
        return redirect("patients:list")
    search = request.session.get(SEARCH_KEY, {})
    query, state = search.get("q", ""), search.get("state", "")
    clinic = request.clinic
    patients = selectors.patient_list(clinic=clinic, query=query, state=state)
    page = Paginator(patients, PAGE_SIZE).get_page(request.GET.get("page"))
    cfg = clinic.settings
    labels = dict(State.choices)
    for patient in page:
        last = patient.last_session_date  # type: ignore[attr-defined]
        patient.retreatment = pathway.retreatment_window(last, cfg) if last else None  # type: ignore[attr-defined]
        patient.state_label = labels.get(patient.current_state, "")  # type: ignore[attr-defined]
    return render(
        request,
        "patients/list.html",
        {
            "page": page,
            "query": query,
            "state": state,
            "states": State.choices,
            "today": timezone.localdate(),
        },
    )


@staff_required
def patient_detail(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.VIEW_PATIENTS)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    course = course_selectors.course_current(patient=patient)
    can = permissions(request.user)
    today = timezone.localdate()
    clinical = can[Action.VIEW_CLINICAL_RECORD]
    texts_on = sms_backend().available
    return render(
        request,
        "patients/detail.html",
        {
            "patient": patient,
            "course": course,
            "steps": [s for s in State.choices if s[0] != State.DISCONTINUED],
            "actions": course_selectors.course_actions(course, can=can, today=today),
            "timeline": course_selectors.course_timeline(course) if course and clinical else [],
            "earlier": course_selectors.courses_earlier(patient=patient, current=course),
            "appointments": selectors.appointments_for(patient)[:20],
            "retreatment": course.retreatment_dates if course else None,
            "reachable": bool(patient.email) or (bool(patient.phone) and texts_on),
            "texts_on": texts_on,
            "today": today,
        },
    )


@staff_required
def patient_register(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.REGISTER_PATIENT)
    clinic = request.clinic
    form = PatientForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("different_person", None)
        try:
            patient = services.patient_register(clinic=clinic, by=request.user, **data)
        except DomainError as error:
            form.add_error("identifier", error.message)
        else:
            messages.success(request, f"{patient.full_name} registered at step 1.")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request, "patients/register.html", {"form": form}, status=400 if form.errors else 200
    )


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
            form.add_error(None, error.message)
        else:
            messages.success(request, "Appointment booked.")
            return redirect("patients:detail", pk=patient.pk)
    return render(
        request,
        "patients/appointment_form.html",
        {"form": form, "patient": patient},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def appointment_status(request: StaffRequest, pk: int, appointment_pk: int) -> HttpResponse:
    """Mark one of this patient's booked visits attended, did-not-attend or cancelled."""
    require(request.user, Action.BOOK_APPOINTMENT)
    patient = selectors.patient_get(clinic=request.clinic, pk=pk)
    appointment = get_object_or_404(patient.appointments, pk=appointment_pk)
    try:
        closed = services.appointment_set_status(
            appointment=appointment, by=request.user, status=request.POST.get("status", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Appointment marked {closed.get_status_display().lower()}.")
    return redirect("patients:detail", pk=patient.pk)


PLAIN_STEPS = {
    State.CONSULTATION: "Your first consultation and evaluation.",
    State.CONSENT: "Preparing for treatment: consent and a review of your medicines.",
    State.INJECTION: "Ready for your injection session.",
    State.POST_CARE: "Care after your injections.",
    State.MAINTENANCE: "Monitoring how the treatment works, and your next session.",
    State.DISCONTINUED: "Your treatment course has ended.",
}


@login_required
def portal_home(request: HttpRequest) -> HttpResponse:
    patient = selectors.patient_for_user(request.user)
    course = patient.courses.order_by("-started_on", "-id").first()
    now = timezone.now()
    return render(
        request,
        "patients/portal.html",
        {
            "patient": patient,
            "step": PLAIN_STEPS.get(State(course.state)) if course else None,
            "upcoming": patient.appointments.filter(starts_at__gte=now, status="booked"),
            "aftercares": Aftercare.objects.filter(course__patient=patient).order_by("-issued_on"),
        },
    )


@login_required
def portal_aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    patient = selectors.patient_for_user(request.user)
    aftercare = get_object_or_404(
        Aftercare.objects.select_related("follow_up", "session"), pk=pk, course__patient=patient
    )
    return render(
        request, "patients/portal_aftercare.html", {"patient": patient, "aftercare": aftercare}
    )
