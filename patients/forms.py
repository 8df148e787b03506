from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import (
    ClinicianChoiceField,
    DateInput,
    DateTimeInput,
    clinicians_of,
    future_visit,
)
from botoxcare.models import Clinic

from .models import AppointmentKind, ContactChannel, Patient
from .services import normalised_identifier


class PatientForm(forms.ModelForm):
    referred_on = forms.DateField(
        label="Referral date",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="The date the treatment course starts.",
    )
    different_person = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="This is a different person from the patient named above",
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
        self.clinic = clinic
        self.fields["responsible_clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean_identifier(self) -> Any:
        return normalised_identifier(self.cleaned_data["identifier"])

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
        self._check_possible_duplicate(data)
        return data

    def _check_possible_duplicate(self, data: dict[str, Any]) -> None:
        """The same name and date of birth under another identifier is probably the same
        person registered twice: ask before creating a second record."""
        if not all(data.get(f) for f in ("first_name", "last_name", "date_of_birth")):
            return
        twin = Patient.objects.filter(
            clinic=self.clinic,
            first_name__iexact=data["first_name"].strip(),
            last_name__iexact=data["last_name"].strip(),
            date_of_birth=data["date_of_birth"],
        ).first()
        if twin is None or data.get("different_person"):
            return
        self.fields["different_person"].widget = forms.CheckboxInput()
        self.add_error(
            "different_person",
            f"{twin.full_name}, born {data['date_of_birth'].day} "
            f"{data['date_of_birth']:%b %Y}, is already registered "
            f"as {twin.identifier}. Tick this box if this is a different person.",
        )

    def validate_unique(self) -> None:
        # Uniqueness within the clinic is checked by the service, which knows the clinic.
        pass


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    starts_at = forms.DateTimeField(label="Date and time", widget=DateTimeInput())
    minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=240)
    clinician = ClinicianChoiceField(queryset=None, required=False)
    room = forms.CharField(max_length=50, required=False)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_settings = clinic.settings
        self.fields["minutes"].initial = self.clinic_settings.appointment_minutes
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean_starts_at(self) -> Any:
        return future_visit(
            self.cleaned_data["starts_at"], horizon_days=self.clinic_settings.booking_horizon_days
        )
