"""Booking and moving a visit."""

from __future__ import annotations

from typing import Any

from django import forms

from botoxcare.forms import (
    ClinicianChoiceField,
    DateTimeInput,
    clinicians_of,
    future_visit,
)
from botoxcare.models import Clinic
from botoxcare.validators import CleanInput

from ..models import (
    AppointmentKind,
)


class _VisitTimeForm(CleanInput, forms.Form):
    """A visit's time in the future within the clinic's booking horizon, and the clinician's
    reason to treat before the window (shown only to those who may give it)."""

    override_reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason to treat before the re-treatment window opens (clinician)",
        help_text="Only for an injection visit booked before the window; leave empty otherwise.",
    )

    def __init__(
        self, *args: Any, clinic: Clinic, can_override: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not can_override:
            del self.fields["override_reason"]
        self.clinic_settings = clinic.settings

    def clean_starts_at(self) -> Any:
        return future_visit(
            self.cleaned_data["starts_at"], horizon_days=self.clinic_settings.booking_horizon_days
        )


class AppointmentForm(_VisitTimeForm):
    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    starts_at = forms.DateTimeField(label="Date and time", widget=DateTimeInput())
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=240, required=False
    )
    clinician = ClinicianChoiceField(queryset=None, required=False)
    room = forms.CharField(max_length=50, required=False)
    field_order = ["kind", "starts_at", "minutes", "clinician", "room", "override_reason"]

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, clinic=clinic, **kwargs)
        cfg = self.clinic_settings
        usual = ", ".join(
            f"{label.lower()} {cfg.minutes_for(value)}" for value, label in AppointmentKind.choices
        )
        self.fields["minutes"].help_text = f"Leave empty for the usual length: {usual}."
        kind = self.initial.get("kind")
        if kind:
            self.fields["minutes"].initial = cfg.minutes_for(kind)
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]
        if cfg.room_names:  # the clinic lists its rooms: choose one of them
            self.fields["room"] = forms.ChoiceField(
                choices=[("", "No room"), *((r, r) for r in cfg.room_names)], required=False
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("minutes") is None and data.get("kind"):
            data["minutes"] = self.clinic_settings.minutes_for(data["kind"])
        return data


class AppointmentMoveForm(_VisitTimeForm):
    """Move a booked visit: a new time and the reason, kept with both visits."""

    starts_at = forms.DateTimeField(label="New date and time", widget=DateTimeInput())
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is moved",
        help_text="Kept with the cancelled visit and the new one.",
    )
    field_order = ["starts_at", "reason", "override_reason"]
