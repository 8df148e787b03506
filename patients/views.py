"""Staff pages about patients alone: booking an appointment. The pages that show a patient with
their treatment (the list, the patient page, registration, the portal) are in `pages/`."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import Action, StaffRequest, require, staff_required

from . import selectors, services
from .forms import AppointmentForm


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
