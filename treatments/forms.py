from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.models import ClinicSettings
from patients.forms import DateInput, DateTimeInput, future_visit

from .models import (
    PREPARATION_FLAGS,
    Consultation,
    DiscontinueReason,
    MedicationOveruse,
    PreparationReview,
    ProductLot,
)


def _not_future(value: Any) -> Any:
    if value > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.")
    return value


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = [
            "seen_on",
            "history",
            "previous_preventives",
            "failed_preventives_count",
            "headache_days_per_month",
            "migraine_days_per_month",
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
            "notes": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {
            "seen_on": "Date seen",
            "failed_preventives_count": "Number of preventives that failed",
            "headache_days_per_month": "Headache days per month",
            "migraine_days_per_month": "Days with migraine features per month",
            "chronic_migraine_confirmed": "Chronic migraine confirmed (ICHD-3)",
            "benefits_risks_discussed": "Benefits, risks and expected outcomes discussed",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["seen_on"].initial = timezone.localdate()
        overuse = self.fields["medication_overuse"]
        overuse.required = True
        overuse.choices = [("", "Choose…"), *MedicationOveruse.choices]  # type: ignore[attr-defined]
        for name in ("headache_days_per_month", "migraine_days_per_month"):
            self.fields[name].widget.attrs["max"] = 31

    def clean_seen_on(self) -> Any:
        return _not_future(self.cleaned_data["seen_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("headache_days_per_month", "migraine_days_per_month"):
            if (data.get(name) or 0) > 31:
                self.add_error(name, "A month has at most 31 days.")
        headache, migraine = (
            data.get("headache_days_per_month"),
            data.get("migraine_days_per_month"),
        )
        if headache is not None and migraine is not None and migraine > headache:
            self.add_error("migraine_days_per_month", "Migraine days cannot exceed headache days.")
        if data.get("chronic_migraine_confirmed") and (
            (headache is not None and headache < 15) or (migraine is not None and migraine < 8)
        ):
            self.add_error(
                "chronic_migraine_confirmed",
                "Chronic migraine needs at least 15 headache days and 8 migraine days a month; "
                "check the figures or untick this.",
            )
        return data


class ConsentPaperForm(forms.Form):
    signer_name = forms.CharField(max_length=200, label="Signed by")
    signed_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Date signed")
    paper_on_file = forms.BooleanField(
        label="The signed paper form is filed in the patient's notes", required=True
    )

    def clean_signed_on(self) -> Any:
        return _not_future(self.cleaned_data["signed_on"])


class PreparationForm(forms.ModelForm):
    clear_flags = forms.BooleanField(
        required=False,
        label="I have reviewed the flagged medicines and treatment may go ahead (clinician)",
    )

    class Meta:
        model = PreparationReview
        fields = [
            "reviewed_on",
            "current_medicines",
            "anticoagulants",
            "antiplatelets",
            "bleeding_supplements",
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
    def initial_from(cls, review: PreparationReview | None) -> dict[str, Any]:
        """Start from the last review, so a second review (say, a clinician clearing flags)
        does not have to retype it; the date starts at today."""
        if review is None:
            return {}
        names = [n for n in cls._meta.fields if n != "reviewed_on"]  # type: ignore[union-attr]
        return {name: getattr(review, name) for name in names}

    def clean_reviewed_on(self) -> Any:
        return _not_future(self.cleaned_data["reviewed_on"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        flag_fields = [
            "anticoagulants",
            "antiplatelets",
            "bleeding_supplements",
            *PREPARATION_FLAGS,
        ]
        return {
            "reviewed_on": data["reviewed_on"],
            "advice": data["advice"],
            "current_medicines": data["current_medicines"],
            "flags": {name: data[name] for name in flag_fields},
            "clear_flags": data.get("clear_flags", False),
        }


class LotForm(forms.ModelForm):
    class Meta:
        model = ProductLot
        fields = ["product", "lot_number", "expiry_date", "vial_units"]
        widgets = {"expiry_date": DateInput()}

    def clean_expiry_date(self) -> Any:
        expiry = self.cleaned_data["expiry_date"]
        if expiry <= timezone.localdate():
            raise forms.ValidationError("This lot has expired; it cannot be added to stock.")
        return expiry

    def validate_unique(self) -> None:
        pass  # the service checks the lot number within the clinic


class InjectionForm(forms.Form):
    """The session and one row per muscle of the clinic's protocol, pre-filled with the fixed
    PREEMPT doses; the clinician adjusts for follow-the-pain."""

    session_date = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    lot: forms.ModelChoiceField[ProductLot] = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a lot"
    )
    diluent_ml = forms.DecimalField(
        label="Saline added (mL)",
        min_value=Decimal("0.5"),
        max_value=Decimal("10"),
        decimal_places=1,
        help_text="2 mL for a 100-unit vial, 4 mL for a 200-unit vial.",
    )
    units_discarded = forms.IntegerField(min_value=0, max_value=400, initial=0)
    tolerability = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self, *args: Any, lots: Any, clinic_settings: ClinicSettings, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = lots  # type: ignore[attr-defined]
        self.muscles = clinic_settings.muscle_limits
        self.muscle_rows = []
        for key, limit in self.muscles.items():
            sites = forms.IntegerField(
                min_value=0,
                max_value=99,
                initial=limit["fixed_sites"],
                label=f"{limit['label']}: sites",
            )
            units = forms.IntegerField(
                min_value=0,
                max_value=999,
                initial=limit["fixed_units"],
                label=f"{limit['label']}: units",
            )
            self.fields[f"{key}_sites"] = sites
            self.fields[f"{key}_units"] = units
            self.muscle_rows.append((limit, self[f"{key}_sites"], self[f"{key}_units"]))

    def place_error(self, reason: str) -> tuple[str | None, str]:
        """The field a refusal from the pathway is about, and the words to show on it: a
        muscle's refusal shows on its row, without repeating the muscle's name."""
        for key, limit in self.muscles.items():
            prefix = f"{limit['label']}: "
            if reason.startswith(prefix):
                rest = reason.removeprefix(prefix)
                return f"{key}_units", rest[:1].upper() + rest[1:]
        for start, name in (
            ("A ", "diluent_ml"),
            ("The dilution", "diluent_ml"),
            ("Lot ", "lot"),
            ("The session date", "session_date"),
        ):
            if reason.startswith(start):
                return name, reason
        return None, reason

    def totals(self) -> tuple[int, int]:
        """(units, sites) as entered, or as pre-filled, for the table's total row."""
        units = sites = 0
        for key in self.muscles:
            for name in (f"{key}_units", f"{key}_sites"):
                raw = self[name].value()
                try:
                    value = int(raw or 0)
                except (TypeError, ValueError):
                    value = 0
                if name.endswith("_units"):
                    units += value
                else:
                    sites += value
        return units, sites

    @property
    def session_fields(self) -> list[forms.BoundField]:
        names = ("session_date", "lot", "diluent_ml", "units_discarded", "tolerability")
        return [self[name] for name in names]

    def clean_session_date(self) -> Any:
        return _not_future(self.cleaned_data["session_date"])

    def sites(self) -> dict[str, tuple[int, int]]:
        return {
            key: (self.cleaned_data[f"{key}_sites"], self.cleaned_data[f"{key}_units"])
            for key in self.muscles
        }


class AftercareForm(forms.Form):
    issued_on = forms.DateField(widget=DateInput(), initial=timezone.localdate, label="Date issued")
    comfort_measures = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        initial="Cold compress applied to the injection sites.",
    )
    instructions_given = forms.BooleanField(
        required=True, label="The written aftercare instructions were given to the patient"
    )
    follow_up_at = forms.DateTimeField(label="Follow-up visit", widget=DateTimeInput())

    def __init__(self, *args: Any, session_date: Any, follow_up_weeks: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        suggested = session_date + timedelta(weeks=follow_up_weeks)
        self.fields["follow_up_at"].initial = timezone.make_aware(
            datetime.combine(suggested, time(10, 0))
        )

    def clean_issued_on(self) -> Any:
        return _not_future(self.cleaned_data["issued_on"])

    def clean_follow_up_at(self) -> Any:
        return future_visit(self.cleaned_data["follow_up_at"])


class FollowUpForm(forms.Form):
    follow_up_at = forms.DateTimeField(label="Follow-up visit", widget=DateTimeInput())

    def clean_follow_up_at(self) -> Any:
        return future_visit(self.cleaned_data["follow_up_at"])


class RetreatmentForm(forms.Form):
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

    def clean_reviewed_on(self) -> Any:
        return _not_future(self.cleaned_data["reviewed_on"])


class DiscontinueForm(forms.Form):
    reason = forms.ChoiceField(choices=[("", "Choose a reason"), *DiscontinueReason.choices])
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == DiscontinueReason.OTHER and not data.get("detail", "").strip():
            self.add_error("detail", "Please describe the reason.")
        return data
