"""Forms for step 3: a lot into stock, and the injection session with a row per muscle."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.errors import Refusal
from botoxcare.forms import DateInput, not_future
from botoxcare.models import ClinicSettings
from botoxcare.validators import CleanInput, lot_expiry_plausible

from ..models import ProductLot, ProductLotQuerySet, lot_usable_on
from ..pathway import day
from ..reasons import Reason


class LotForm(CleanInput, forms.ModelForm):
    class Meta:
        model = ProductLot
        fields = ["product", "lot_number", "expiry_date", "vial_units"]
        widgets = {"expiry_date": DateInput()}

    def clean_expiry_date(self) -> Any:
        expiry = self.cleaned_data["expiry_date"]
        if not lot_usable_on(expiry, timezone.localdate()):
            raise forms.ValidationError(
                f"This lot expired on {day(expiry)}; it cannot be added to stock.",
                code=Reason.LOT_EXPIRED,
            )
        return lot_expiry_plausible(expiry)

    def validate_unique(self) -> None:
        pass  # the service checks the lot number within the clinic


class InjectionForm(CleanInput, forms.Form):
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
        self,
        *args: Any,
        lots: ProductLotQuerySet,
        clinic_settings: ClinicSettings,
        today: date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Any of the clinic's lots is accepted, so that one chosen before midnight of its
        # expiry date and sent after is refused with its reason (the guard's, on the
        # session's date) rather than "not a valid choice"; the lots offered are those
        # usable today.
        lot = self.fields["lot"]
        lot.queryset = lots  # type: ignore[attr-defined]
        offered = lots.usable_on(today or timezone.localdate())
        lot.choices = [("", lot.empty_label), *((x.pk, str(x)) for x in offered)]  # type: ignore[attr-defined]
        # A row of the dose table missing a cell (stored by hand) is left out, and nothing can
        # be recorded until the clinic admin completes it (`clean`).
        self.incomplete_muscles = clinic_settings.muscles_incomplete
        self.muscles = {
            key: limit
            for key, limit in clinic_settings.muscles_in_order.items()
            if key not in self.incomplete_muscles
        }
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

    def field_for_refusal(self, refusal: Refusal) -> str | None:
        """The field a refusal from the pathway belongs to: a muscle's on its sites or units."""
        if refusal.field.startswith("sites."):
            _, muscle, part = refusal.field.split(".")
            return f"{muscle}_{part}" if muscle in self.muscles else None
        return refusal.field if refusal.field in self.fields else None

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

    @property
    def incomplete_message(self) -> str:
        names = ", ".join(self.incomplete_muscles)
        return (
            f"The clinic's dose table is incomplete ({names}): a clinic admin must complete "
            "it in the clinic's settings before a session can be recorded."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.incomplete_muscles:
            raise forms.ValidationError(
                self.incomplete_message, code=Reason.MUSCLE_TABLE_INCOMPLETE
            )
        return data

    def clean_session_date(self) -> Any:
        return not_future(self.cleaned_data["session_date"])

    def sites(self) -> dict[str, tuple[int, int]]:
        return {
            key: (self.cleaned_data[f"{key}_sites"], self.cleaned_data[f"{key}_units"])
            for key in self.muscles
        }
