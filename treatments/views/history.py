"""Add to and remove from a patient's medical lists: small POST forms on the consultation
page and the patient page, each back where it was sent from (`next`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from botoxcare.errors import DomainError
from botoxcare.forms import refusal_messages
from botoxcare.redirects import redirect_back
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from patients.selectors import patient_get

from ..forms import AllergyForm, CurrentMedicineForm, PreventiveTreatmentForm
from ..models import Allergy, CurrentMedicine, PreventiveTreatment
from ..services import history


@dataclass(frozen=True)
class MedicalList:
    """One list: its form, its model, its services and what the messages call a row."""

    form: type[forms.ModelForm]
    model: type[PreventiveTreatment] | type[CurrentMedicine] | type[Allergy]
    add: Callable[..., Any]
    remove: Callable[..., None]
    noun: str
    prefix: str  # the form's, so the three forms of one page do not share ids


LISTS: dict[str, MedicalList] = {
    "preventives": MedicalList(
        PreventiveTreatmentForm,
        PreventiveTreatment,
        history.preventive_treatment_add,
        lambda row, by: history.preventive_treatment_remove(preventive=row, by=by),
        "preventive treatment",
        "p",
    ),
    "medicines": MedicalList(
        CurrentMedicineForm,
        CurrentMedicine,
        history.current_medicine_add,
        lambda row, by: history.current_medicine_remove(medicine=row, by=by),
        "medicine",
        "m",
    ),
    "allergies": MedicalList(
        AllergyForm,
        Allergy,
        history.allergy_add,
        lambda row, by: history.allergy_remove(allergy=row, by=by),
        "allergy",
        "a",
    ),
}


def _list_of(kind: str) -> MedicalList:
    found = LISTS.get(kind)
    if found is None:
        raise Http404("No such list.")
    return found


@staff_required
@require_POST
@submitted_once
def list_add(request: StaffRequest, pk: int, kind: str) -> HttpResponse:
    """A row added to one of the clinic's patients' lists (404 for anyone else's)."""
    which = _list_of(kind)
    require(request.user, Action.KEEP_MEDICAL_LISTS)
    patient = patient_get(clinic=request.clinic, pk=pk)
    form = which.form(request.POST, prefix=which.prefix)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                text = f"{label}: {error}" if label else str(error)
                messages.error(request, text, extra_tags="list_entry_invalid")
    else:
        try:
            which.add(patient=patient, by=request.user, **form.service_kwargs())  # type: ignore[attr-defined]
        except DomainError as error:
            refusal_messages(request, error)
        else:
            messages.success(request, f"The {which.noun} is on the patient's list.")
    return redirect_back(request, "staff:patient", patient.pk)


@staff_required
@require_POST
def list_remove(request: StaffRequest, pk: int, kind: str, item_pk: int) -> HttpResponse:
    """A row taken off one of the clinic's patients' lists (404 for anyone else's row)."""
    which = _list_of(kind)
    require(request.user, Action.KEEP_MEDICAL_LISTS)
    patient = patient_get(clinic=request.clinic, pk=pk)
    row = get_object_or_404(which.model, pk=item_pk, patient=patient)
    which.remove(row, request.user)
    messages.success(request, f"The {which.noun} is off the patient's list.")
    return redirect_back(request, "staff:patient", patient.pk)
