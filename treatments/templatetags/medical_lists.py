"""`{% medical_lists patient %}`: the patient's preventives, medicines and allergies with
their small add and remove forms, for the consultation page and the patient page alike (one
include, so both show the same lists and the same start-rule count). Read-only for a role
that may not keep the lists; nothing for one that does not read the clinical record."""

from __future__ import annotations

from typing import Any

from django import template

from botoxcare.roles import Action, user_can

from ..forms import AllergyForm, CurrentMedicineForm, PreventiveTreatmentForm
from ..medical_lists import medical_lists as lists_of

register = template.Library()


@register.inclusion_tag("treatments/includes/medical_lists.html", takes_context=True)
def medical_lists(context: template.Context, patient: Any, back: str = "") -> dict[str, Any]:
    request = context["request"]
    if not user_can(request.user, Action.VIEW_CLINICAL_RECORD):
        return {"shown": False}
    can_edit = user_can(request.user, Action.KEEP_MEDICAL_LISTS)
    return {
        "shown": True,
        "patient": patient,
        "lists": lists_of(patient=patient),
        "rule": patient.clinic.settings.min_failed_preventives,
        "can_edit": can_edit,
        "back": back or request.get_full_path(),
        "forms": {
            "preventives": PreventiveTreatmentForm(prefix="p"),
            "medicines": CurrentMedicineForm(prefix="m"),
            "allergies": AllergyForm(prefix="a"),
        }
        if can_edit
        else {},
    }
