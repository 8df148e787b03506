"""Forms about a patient's record: registration, contact details, the portal's join page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from botoxcare.forms import (
    ClinicianChoiceField,
    DateInput,
    clinicians_of,
    not_future,
)
from botoxcare.models import Clinic
from botoxcare.validators import (
    CleanInput,
    InputReason,
    birth_date_plausible,
    email_normalised,
    phone_normalised,
)

from ..contact import contact_refusals
from ..duplicates import twin_of
from ..models import (
    Patient,
)
from ..services import normalised_identifier


def check_contact(form: forms.BaseForm, data: dict[str, Any]) -> None:
    """The preferred channel needs its address (patients.contact, shared with the service)."""
    if "preferred_channel" not in data:
        return
    for refusal in contact_refusals(
        phone=data.get("phone") or "",
        email=data.get("email") or "",
        preferred_channel=data["preferred_channel"],
    ):
        if refusal.field not in form.errors:  # an invalid address already says so
            form.add_error(refusal.field, forms.ValidationError(refusal.message, code=refusal.code))


class _ContactCleaning(CleanInput):
    """A phone number and an email address as the clinic stores them (botoxcare.validators)."""

    def clean_phone(self) -> str:
        return phone_normalised(self.cleaned_data.get("phone") or "")

    def clean_email(self) -> str:
        return email_normalised(self.cleaned_data.get("email") or "")


class PatientForm(_ContactCleaning, forms.ModelForm):
    referred_on = forms.DateField(
        label="Referral date",
        widget=DateInput(),
        initial=timezone.localdate,
        help_text="The date the treatment course starts.",
    )
    different_person = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        label="This is a different person from the registered patient named here",
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

    def clean_referred_on(self) -> Any:
        return not_future(self.cleaned_data["referred_on"])

    def clean_identifier(self) -> Any:
        return normalised_identifier(self.cleaned_data["identifier"])

    def clean_date_of_birth(self) -> Any:
        return birth_date_plausible(self.cleaned_data["date_of_birth"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_contact(self, data)
        dob, referred = data.get("date_of_birth"), data.get("referred_on")
        if dob and referred and referred < dob:
            self.add_error(
                "referred_on",
                forms.ValidationError(
                    "The referral cannot be dated before the patient's birth.",
                    code=InputReason.BEFORE_BIRTH,
                ),
            )
        self._check_possible_duplicate(data)
        return data

    def _check_possible_duplicate(self, data: dict[str, Any]) -> None:
        """The same name and date of birth under another identifier is probably the same
        person registered twice: ask before creating a second record."""
        if not all(data.get(f) for f in ("first_name", "last_name", "date_of_birth")):
            return
        twin = twin_of(
            clinic=self.clinic,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
        )
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


class ContactForm(_ContactCleaning, forms.ModelForm):
    """A patient's contact details and responsible clinician, as registration takes them."""

    class Meta:
        model = Patient
        fields = ["phone", "email", "preferred_channel", "responsible_clinician"]
        field_classes = {"responsible_clinician": ClinicianChoiceField}

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_contact(self, data)
        return data


class PortalJoinForm(CleanInput, forms.Form):
    """The patient chooses a username and a password on the invitation's page. Whether they
    can be used (taken, or a weak password) is the service's to say."""

    username = forms.CharField(
        max_length=150,
        help_text="You can use your email address. Letters, digits and @ . + - _ only.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The validators' own words, as plain text (their HTML list would be escaped).
        self.fields["password1"].help_text = " ".join(
            password_validation.password_validators_help_texts()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2",
                forms.ValidationError(
                    "The two passwords are not the same.", code="password_mismatch"
                ),
            )
        return data
