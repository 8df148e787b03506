from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from botoxcare.models import Clinic
from botoxcare.roles import Role

from .models import AppointmentKind, ContactChannel, Patient


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def clinicians_of(clinic: Clinic) -> Any:
    return (
        get_user_model()
        .objects.filter(staff_profile__clinic=clinic, groups__name=Role.CLINICIAN)
        .order_by("last_name", "first_name")
    )


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class PatientForm(forms.ModelForm):
    referred_on = forms.DateField(
        label="Referral date",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="The date the treatment course starts.",
    )

    class Meta:
        model = Patient
        fields = [
            "identifier",
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "email",
            "preferred_channel",
            "responsible_clinician",
        ]
        widgets = {"date_of_birth": DateInput()}
        field_classes = {"responsible_clinician": ClinicianChoiceField}

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean_date_of_birth(self) -> Any:
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if dob.year < 1900:
            raise forms.ValidationError("Please check the year of birth.")
        return dob

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("preferred_channel")
        if channel == ContactChannel.EMAIL and not data.get("email"):
            self.add_error("email", "An email address is needed to contact the patient by email.")
        if channel in (ContactChannel.PHONE, ContactChannel.SMS) and not data.get("phone"):
            self.add_error("phone", "A phone number is needed for calls and text messages.")
        return data

    def validate_unique(self) -> None:
        # Uniqueness within the clinic is checked by the service, which knows the clinic.
        pass


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    starts_at = forms.DateTimeField(label="Date and time", widget=DateTimeInput())
    minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=240, initial=30)
    clinician = ClinicianChoiceField(queryset=None, required=False)
    room = forms.CharField(max_length=50, required=False)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean_starts_at(self) -> Any:
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now():
            raise forms.ValidationError("An appointment cannot be booked in the past.")
        return starts_at
