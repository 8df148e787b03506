"""The small forms that add a row to a patient's medical lists (the consultation page and
the patient page show them; treatments.views.history takes them)."""

from __future__ import annotations

from typing import Any

from django import forms

from botoxcare.forms import DateInput, not_future
from botoxcare.validators import CleanInput

from ..models import Allergy, CurrentMedicine, PreventiveTreatment
from ..models.history import MOST_PREVENTIVE_WEEKS


class PreventiveTreatmentForm(CleanInput, forms.ModelForm):
    class Meta:
        model = PreventiveTreatment
        fields = ["drug_class", "drug", "dose", "duration_weeks", "outcome"]
        labels = {
            "drug_class": "Class",
            "drug": "Drug",
            "duration_weeks": "Duration (weeks)",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["drug"].help_text = "Its name; needed for a drug of another class."
        self.fields["duration_weeks"].widget.attrs["max"] = MOST_PREVENTIVE_WEEKS
        for name in ("drug_class", "outcome"):
            field = self.fields[name]
            field.choices = [("", "Choose…"), *field.choices[1:]]  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class CurrentMedicineForm(CleanInput, forms.ModelForm):
    class Meta:
        model = CurrentMedicine
        fields = ["name", "dose", "since"]
        widgets = {"since": DateInput()}
        labels = {"name": "Medicine", "since": "Taken since"}

    def clean_since(self) -> Any:
        since = self.cleaned_data["since"]
        return not_future(since) if since else since

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class AllergyForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Allergy
        fields = ["substance", "reaction"]

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
