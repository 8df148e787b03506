"""Forms for step 4: aftercare with its follow-up visit, and re-booking that visit."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import (
    ClinicianChoiceField,
    DateInput,
    DateTimeInput,
    clinicians_of,
    future_visit,
    not_future,
)
from botoxcare.models import ClinicSettings
from botoxcare.validators import CleanInput


def _follow_up_with(form: forms.Form, cfg: ClinicSettings, clinician: Any) -> None:
    """The follow-up's clinician: one of the clinic's, the session's unless changed, so the
    visit is in their calendar and blocks their time."""
    field = form.fields["follow_up_clinician"]
    field.queryset = clinicians_of(cfg.clinic)  # type: ignore[attr-defined]
    field.initial = clinician


class AftercareForm(CleanInput, forms.Form):
    issued_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Date issued")
    comfort_measures = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    instructions_given = forms.BooleanField(
        required=True, label="The written aftercare instructions were given to the patient"
    )
    follow_up_at = forms.DateTimeField(label="Follow-up visit", widget=DateTimeInput())
    follow_up_clinician = ClinicianChoiceField(
        queryset=None, required=False, label="Follow-up with"
    )

    def __init__(
        self,
        *args: Any,
        session_date: Any,
        clinic_settings: ClinicSettings,
        clinician: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_settings = cfg = clinic_settings
        _follow_up_with(self, cfg, clinician)
        suggested = session_date + timedelta(weeks=cfg.follow_up_weeks)
        self.fields["follow_up_at"].initial = timezone.make_aware(
            datetime.combine(suggested, cfg.follow_up_time)
        )
        self.fields["comfort_measures"].initial = cfg.comfort_measures

    def clean_issued_on(self) -> Any:
        return not_future(self.cleaned_data["issued_on"])

    def clean_follow_up_at(self) -> Any:
        horizon = self.clinic_settings.booking_horizon_days
        return future_visit(self.cleaned_data["follow_up_at"], horizon_days=horizon)


class FollowUpForm(CleanInput, forms.Form):
    follow_up_at = forms.DateTimeField(label="Follow-up visit", widget=DateTimeInput())
    follow_up_clinician = AftercareForm.base_fields["follow_up_clinician"]

    def __init__(
        self, *args: Any, clinic_settings: ClinicSettings, clinician: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_settings = clinic_settings
        _follow_up_with(self, clinic_settings, clinician)

    def clean_follow_up_at(self) -> Any:
        horizon = self.clinic_settings.booking_horizon_days
        return future_visit(self.cleaned_data["follow_up_at"], horizon_days=horizon)
