"""The clinic admin's form for a consent form version."""

from __future__ import annotations

from django import forms

from botoxcare.validators import CleanInput

from ..models import ConsentForm


class ConsentFormVersionForm(CleanInput, forms.ModelForm):
    activate = forms.BooleanField(
        required=False,
        label="Make this the active version now",
        help_text="Patients sign the active version; leave unticked to check it first.",
    )

    class Meta:
        model = ConsentForm
        fields = ["title", "body", "statements"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "statements": forms.Textarea(attrs={"rows": 8}),
        }
