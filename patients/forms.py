from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from botoxcare.models import Clinic
from botoxcare.roles import Role

from .models import AppointmentKind, ContactChannel, Patient
from .services import normalised_identifier


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


BOOKING_HORIZON = timedelta(days=2 * 365)


def future_visit(starts_at: Any) -> Any:
    """A visit is booked in the future, and not absurdly far ahead (a typo in the year)."""
    now = timezone.now()
    if starts_at <= now:
        raise forms.ValidationError("A visit must be booked in the future.")
    if starts_at > now + BOOKING_HORIZON:
        raise forms.ValidationError("A visit can be booked at most two years ahead.")
    return starts_at


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
    minutes = forms.IntegerField(label="Length (minutes)", min_value=5, max_value=240, initial=30)
    clinician = ClinicianChoiceField(queryset=None, required=False)
    room = forms.CharField(max_length=50, required=False)

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean_starts_at(self) -> Any:
        return future_visit(self.cleaned_data["starts_at"])
