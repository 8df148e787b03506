"""The public "Call me" form, a call's outcome, and a contact attempt about follow-up."""

from __future__ import annotations

from typing import Any

from django import forms

from botoxcare.validators import CleanInput, phone_normalised

from ..models import (
    CallbackOutcomeKind,
    CallbackTopic,
    ContactChannel,
    ContactOutcome,
)


class CallbackForm(CleanInput, forms.Form):
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
        return phone_normalised(self.cleaned_data["phone"])

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


class CallbackOutcomeForm(CleanInput, forms.Form):
    kind = forms.ChoiceField(
        choices=CallbackOutcomeKind.choices, widget=forms.RadioSelect, label="What happened?"
    )
    note = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Note"
    )


class ContactAttemptForm(CleanInput, forms.Form):
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
