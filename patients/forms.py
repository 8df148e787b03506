from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils import timezone

from botoxcare.forms import (
    ClinicianChoiceField,
    DateInput,
    DateTimeInput,
    clinicians_of,
    future_visit,
    not_future,
)
from botoxcare.models import Clinic

from .callbacks import phone_digits
from .contact import contact_refusals
from .models import (
    AppointmentKind,
    CallbackOutcomeKind,
    CallbackTopic,
    ContactChannel,
    ContactOutcome,
    Patient,
)
from .services import normalised_identifier


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
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError("The date of birth cannot be in the future.")
        if dob.year < 1900:
            raise forms.ValidationError("Please check the year of birth.")
        return dob

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_contact(self, data)
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


class ContactForm(forms.ModelForm):
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


class PortalJoinForm(forms.Form):
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


class AppointmentForm(forms.Form):
    kind = forms.ChoiceField(choices=AppointmentKind.choices)
    starts_at = forms.DateTimeField(label="Date and time", widget=DateTimeInput())
    minutes = forms.IntegerField(
        label="Length (minutes)", min_value=5, max_value=240, required=False
    )
    clinician = ClinicianChoiceField(queryset=None, required=False)
    room = forms.CharField(max_length=50, required=False)
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
        self.clinic_settings = cfg = clinic.settings
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

    def clean_starts_at(self) -> Any:
        return future_visit(
            self.cleaned_data["starts_at"], horizon_days=self.clinic_settings.booking_horizon_days
        )


class AppointmentMoveForm(forms.Form):
    """Move a booked visit: a new time and the reason, kept with both visits."""

    starts_at = forms.DateTimeField(label="New date and time", widget=DateTimeInput())
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why it is moved",
        help_text="Kept with the cancelled visit and the new one.",
    )
    override_reason = AppointmentForm.base_fields["override_reason"]

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


class CallbackForm(forms.Form):
    """The public "Call me" form. `website` is a honeypot: people never see it, robots fill it."""

    name = forms.CharField(max_length=100, label="Your name")
    phone = forms.CharField(
        max_length=30,
        label="Phone number",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    best_times = forms.CharField(
        max_length=100,
        required=False,
        label="Best times to call",
        help_text="For example: weekday mornings, or after 4 pm.",
    )
    topic = forms.ChoiceField(
        choices=CallbackTopic.choices, widget=forms.RadioSelect, label="What is it about?"
    )
    message = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Anything we should know before we call (optional)",
        help_text="Please do not write medical details here; we will ask on the phone.",
    )
    urgent_understood = forms.BooleanField(
        required=False,
        label="I understand: if I have difficulty swallowing, breathing or speaking, I will call "
        "the emergency services now, not wait for this call.",
    )
    contact_consent = forms.BooleanField(
        label="The clinic may call me on this number about my request.", required=True
    )
    website = forms.CharField(required=False, label="Leave this field empty")

    def clean_phone(self) -> str:
        phone: str = self.cleaned_data["phone"].strip()
        allowed = set("0123456789 +-()")
        digits = phone_digits(phone)
        if not set(phone) <= allowed or not 7 <= len(digits) <= 15:
            raise forms.ValidationError(
                "Please give a phone number we can call, with its area code.", code="phone_invalid"
            )
        return phone

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("topic") == CallbackTopic.SIDE_EFFECT and not data.get("urgent_understood"):
            self.add_error(
                "urgent_understood",
                forms.ValidationError(
                    "Please read and tick this: danger signs need the emergency services now.",
                    code="urgent_not_read",
                ),
            )
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website"))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("name", "phone", "best_times", "topic", "message", "contact_consent")
        return {name: data[name] for name in names}


class CallbackOutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=CallbackOutcomeKind.choices, widget=forms.RadioSelect, label="What happened?"
    )
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class ContactAttemptForm(forms.Form):
    """An attempt to reach a patient about their follow-up: for one patient or several."""

    channel = forms.ChoiceField(
        choices=ContactChannel.choices, initial=ContactChannel.PHONE, label="How"
    )
    outcome = forms.ChoiceField(choices=[("", "Choose…"), *ContactOutcome.choices], label="Outcome")
    note = forms.CharField(
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="About arranging the visit only; no clinical notes.",
    )
