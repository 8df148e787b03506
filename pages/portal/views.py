"""The patient's own portal: their step in plain words, their visits, their aftercare and
documents. Every query is scoped to the signed-in patient; anyone else's id is a 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from botoxcare.pdf import pdf_download
from patients.selectors import appointments_upcoming, patient_for_user
from treatments import selectors as course_selectors
from treatments.models import State
from treatments.sheets import aftercare_sheet

from .calendar import appointment_ics

PLAIN_STEPS = {
    State.CONSULTATION: "Your first consultation and evaluation.",
    State.CONSENT: "Preparing for treatment: consent and a review of your medicines.",
    State.INJECTION: "Ready for your injection session.",
    State.POST_CARE: "Care after your injections.",
    State.MAINTENANCE: "Monitoring how the treatment works, and your next session.",
    State.DISCONTINUED: "Your treatment course has ended.",
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    state = course_selectors.course_state(patient=patient)
    return render(
        request,
        "portal/home.html",
        {
            "patient": patient,
            "step": PLAIN_STEPS[state] if state else None,
            "upcoming": appointments_upcoming(patient, now=timezone.now()),
            "aftercares": course_selectors.aftercares_of(patient=patient),
            "documents": course_selectors.documents_for_patient(patient=patient),
        },
    )


@login_required
def aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    """The aftercare sheet as a page: the same fragment as its PDF."""
    patient = patient_for_user(request.user)
    issued = course_selectors.aftercare_get(patient=patient, pk=pk)
    return render(
        request,
        "portal/aftercare.html",
        {"patient": patient, "sheet": aftercare_sheet(issued)},
    )


@login_required
def document(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the patient's stored PDFs, as kept (never rendered here)."""
    patient = patient_for_user(request.user)
    stored = course_selectors.document_get(patient=patient, pk=pk)
    return pdf_download(stored.pdf, filename=stored.filename)


@login_required
def appointment_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """An upcoming appointment of the patient's own as an .ics file (no clinical detail)."""
    patient = patient_for_user(request.user)
    now = timezone.now()
    appointment = get_object_or_404(appointments_upcoming(patient, now=now), pk=pk)
    response = HttpResponse(
        appointment_ics(appointment, clinic=patient.clinic, now=now),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="appointment.ics"'
    response["Cache-Control"] = "private, no-store"
    return response
