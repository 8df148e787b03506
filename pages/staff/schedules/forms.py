"""The schedules page's filters (GET: no patient names in them)."""

from __future__ import annotations

from typing import Any

from django import forms

from botoxcare.forms import ClinicianChoiceField, clinicians_of
from botoxcare.models import Clinic
from botoxcare.validators import CleanInput

from .selectors import SORT_LABELS, Sort, StatusFilter


class ScheduleFilterForm(CleanInput, forms.Form):
    clinician = ClinicianChoiceField(
        queryset=None, required=False, empty_label="All clinicians", label="Clinician"
    )
    status = forms.ChoiceField(
        choices=[("", "Every status"), *((s.value, s.label) for s in StatusFilter)],
        required=False,
        label="Status",
    )
    sort = forms.ChoiceField(
        choices=[(s.value, label) for s, label in SORT_LABELS.items()],
        required=False,
        label="Sort by",
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def chosen(self) -> tuple[int | None, StatusFilter | None, Sort]:
        """(clinician id, status, sort); anything invalid counts as not chosen."""
        if not self.is_valid():
            return None, None, Sort.DUE
        data = self.cleaned_data
        clinician = data.get("clinician")
        status = data.get("status")
        return (
            clinician.pk if clinician else None,
            StatusFilter(status) if status else None,
            Sort(data.get("sort") or Sort.DUE),
        )
