"""Forms for the records of steps 1, 2 and 5: consultation, consent, preparation review,
response review and discontinuation."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import DateInput, not_future
from botoxcare.models import ClinicSettings
from botoxcare.validators import CleanInput

from ..consultation_figures import figure_refusals
from ..models import (
    BLEEDING_RISKS,
    PREPARATION_FLAGS,
    Consultation,
    CurrentMedicine,
    DiscontinueReason,
    MedicationOveruse,
    PreparationReview,
)
from ..pathway import day


class ConsultationForm(CleanInput, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "seen_on",
            "history",
            "previous_preventives",
            "start_rule_justification",
            "headache_days_per_month",
            "migraine_days_per_month",
            "pattern_months",
            "chronic_migraine_confirmed",
            "medication_overuse",
            "benefits_risks_discussed",
            "decision",
            "notes",
        ]
        widgets = {
            "seen_on": DateInput(),
            "history": forms.Textarea(attrs={"rows": 4}),
            "previous_preventives": forms.Textarea(attrs={"rows": 3}),
            "start_rule_justification": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "seen_on": "Date seen",
            "previous_preventives": "Notes on previous preventives",
            "start_rule_justification": "Justification to proceed against the start rule",
            "headache_days_per_month": "Headache days per month",
            "migraine_days_per_month": "Days with migraine features per month",
            "pattern_months": "How many months this pattern has lasted",
            "chronic_migraine_confirmed": "Chronic migraine confirmed (ICHD-3)",
            "benefits_risks_discussed": "Benefits, risks and expected outcomes discussed",
        }

    def __init__(self, *args: Any, clinic_settings: ClinicSettings, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_settings = clinic_settings
        self.fields["seen_on"].initial = timezone.localdate()
        overuse = self.fields["medication_overuse"]
        overuse.required = True
        overuse.choices = [("", "Choose…"), *MedicationOveruse.choices]  # type: ignore[attr-defined]
        for name in ("headache_days_per_month", "migraine_days_per_month"):
            self.fields[name].widget.attrs["max"] = 31
        self.fields[
            "previous_preventives"
        ].help_text = (
            "Optional: the list of preventive treatments above is what the start rule counts."
        )
        self.fields["start_rule_justification"].help_text = (
            f"Only when fewer than {clinic_settings.min_failed_preventives} classes of "
            "preventive failed and the decision is to proceed: the clinician's reason, kept "
            "with the record and shown on the timeline."
        )

    # What a new consultation takes from the patient's last one (a later course, or seeing
    # them again): the history and the diagnosis. Not the date, this month's figures (the
    # diary's or typed now), the discussion, the decision, its justification or the notes.
    FROM_LAST = (
        "history",
        "previous_preventives",
        "pattern_months",
        "chronic_migraine_confirmed",
        "medication_overuse",
    )

    @classmethod
    def initial_from(cls, consultation: Consultation | None) -> dict[str, Any]:
        if consultation is None:
            return {}
        return {name: getattr(consultation, name) for name in cls.FROM_LAST}

    def clean_seen_on(self) -> Any:
        return not_future(self.cleaned_data["seen_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for refusal in figure_refusals(
            data.get("headache_days_per_month"),
            data.get("migraine_days_per_month"),
            bool(data.get("chronic_migraine_confirmed")),
            self.clinic_settings,
        ):
            error = forms.ValidationError(refusal.message, code=refusal.code)
            self.add_error(refusal.field, error)
        return data


class ConsentPaperForm(CleanInput, forms.Form):
    signer_name = forms.CharField(max_length=200, label="Signed by")
    signed_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Date signed")
    paper_on_file = forms.BooleanField(
        label="The signed paper form is filed in the patient's notes", required=True
    )

    def clean_signed_on(self) -> Any:
        return not_future(self.cleaned_data["signed_on"])


class PreparationForm(CleanInput, forms.ModelForm):
    clear_flags = forms.BooleanField(
        required=False,
        label="I have reviewed the flagged medicines and treatment may go ahead (clinician)",
    )

    class Meta:
        model = PreparationReview
        fields = [
            "reviewed_on",
            "current_medicines",
            *BLEEDING_RISKS,
            *PREPARATION_FLAGS,
            "advice",
        ]
        widgets = {
            "reviewed_on": DateInput(),
            "current_medicines": forms.Textarea(attrs={"rows": 3}),
            "advice": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"reviewed_on": "Date reviewed", "advice": "Advice given"}

    def __init__(self, *args: Any, can_clear: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = timezone.localdate()
        if not can_clear:
            del self.fields["clear_flags"]

    @classmethod
    def initial_from(
        cls, review: PreparationReview | None, medicines: Iterable[CurrentMedicine] = ()
    ) -> dict[str, Any]:
        """Start from the last review, so a second review (say, a clinician clearing flags)
        does not have to retype it; the date starts at today. The medicines start from the
        patient's list of current medicines when the last review named none."""
        initial: dict[str, Any] = {}
        if review is not None:
            names = [n for n in cls._meta.fields if n != "reviewed_on"]  # type: ignore[union-attr]
            initial = {name: getattr(review, name) for name in names}
        if not initial.get("current_medicines"):
            listed = [_medicine_line(m) for m in medicines]
            if listed:
                initial["current_medicines"] = "\n".join(listed)
        return initial

    def clean_reviewed_on(self) -> Any:
        return not_future(self.cleaned_data["reviewed_on"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "reviewed_on": data["reviewed_on"],
            "advice": data["advice"],
            "current_medicines": data["current_medicines"],
            "flags": {name: data[name] for name in [*BLEEDING_RISKS, *PREPARATION_FLAGS]},
            "clear_flags": data.get("clear_flags", False),
        }


def _medicine_line(medicine: CurrentMedicine) -> str:
    since = f", since {day(medicine.since)}" if medicine.since else ""
    return f"{medicine.name} {medicine.dose}".strip() + since


class RetreatmentForm(CleanInput, forms.Form):
    reviewed_on = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    headache_days_per_month = forms.IntegerField(
        min_value=0, max_value=31, required=False, label="Headache days in the last month"
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Response and decision")
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason to treat before the window opens (clinician's override)",
    )
    stop_rule_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason to continue although the stop rule is met (clinician's decision)",
    )

    def clean_reviewed_on(self) -> Any:
        return not_future(self.cleaned_data["reviewed_on"])


class DiscontinueForm(CleanInput, forms.Form):
    reason = forms.ChoiceField(choices=[("", "Choose a reason"), *DiscontinueReason.choices])
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        needs_detail = (DiscontinueReason.OTHER, DiscontinueReason.ADVERSE_EVENT)
        if data.get("reason") in needs_detail and not data.get("detail", "").strip():
            self.add_error(
                "detail",
                forms.ValidationError("Please describe the reason.", code="detail_required"),
            )
        return data


class ConsentSignForm(CleanInput, forms.Form):
    """The patient's signature: every statement ticked and their full name typed."""

    statements = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="I confirm that", required=True
    )
    typed_name = forms.CharField(
        max_length=200,
        label="Type your full name to sign",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    def __init__(self, *args: Any, statements: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statement_texts = statements
        self.fields["statements"].choices = list(enumerate(statements))  # type: ignore[attr-defined]

    def confirmed(self) -> list[str]:
        return [self.statement_texts[int(i)] for i in self.cleaned_data["statements"]]


class WithdrawForm(CleanInput, forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Why is consent withdrawn?",
        help_text="In the patient's words where they gave them.",
    )
