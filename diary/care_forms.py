"""The forms of the questionnaires and the plan, shared by the portal and the staff pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import DateInput, not_future
from botoxcare.validators import CleanInput

from .midas import MAX_DAYS, QUESTIONS
from .models import ManagementPlan
from .services.plans import PLAN_FIELDS, PLAN_LABELS


class MidasForm(CleanInput, forms.Form):
    """The five MIDAS questions, each a whole number of days from 0 to 90, and the day they
    were answered (today unless staff record an earlier answer)."""

    answered_on = forms.DateField(label="Day answered", widget=DateInput())

    def __init__(self, *args: Any, ask_day: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if ask_day:
            self.fields["answered_on"].initial = timezone.localdate()
        else:  # the patient answers today
            del self.fields["answered_on"]
        for n, (key, text) in enumerate(QUESTIONS, start=1):
            self.fields[key] = forms.IntegerField(
                label=f"{n}. {text}",
                min_value=0,
                max_value=MAX_DAYS,
                help_text=f"Days, 0 to {MAX_DAYS}.",
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                error_messages={"required": "Please give a number of days (0 if none)."},
            )

    def clean_answered_on(self) -> date:
        return not_future(self.cleaned_data["answered_on"])

    def answers(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key, _ in QUESTIONS}


class PlanForm(CleanInput, forms.ModelForm):
    """A new version of the management plan, filled with the current version's text."""

    class Meta:
        model = ManagementPlan
        fields = list(PLAN_FIELDS)
        labels = PLAN_LABELS
        help_texts = {
            "acute_limit_days": "To stay clear of medication overuse (for example 8).",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in PLAN_FIELDS
            if name != "acute_limit_days"
        }
