"""`{% medical_lists patient %}`: the patient's preventives, medicines and allergies with
their small add and remove forms, for the consultation page and the patient page alike (one
include, so both show the same lists and the same start-rule count). Read-only for a role
that may not keep the lists; nothing for one that does not read the clinical record."""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from botoxcare.forms import empty_form_fields
from botoxcare.roles import Action, user_can

from ..forms import AllergyForm, CurrentMedicineForm, PreventiveTreatmentForm
from ..medical_lists import medical_lists as lists_of

register = template.Library()

ADD_FORMS: dict[str, tuple[type[forms.BaseForm], str]] = {
    "preventives": (PreventiveTreatmentForm, "p"),
    "medicines": (CurrentMedicineForm, "m"),
    "allergies": (AllergyForm, "a"),
}


def add_form_fields(name: str) -> SafeString:
    """The fields of an empty add form, written once a process (`empty_form_fields`: an
    unbound form of these classes is the same HTML every time). Through Django's widget
    templates the three were about a quarter of the patient page's time."""
    form_class, prefix = ADD_FORMS[name]
    return empty_form_fields(form_class, prefix)


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
        "fields": {name: add_form_fields(name) for name in ADD_FORMS} if can_edit else {},
    }
