"""Forms for step 3: a lot into stock, and the injection session with a row per muscle and
its vials (forms/vials.py)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.errors import Refusal
from botoxcare.forms import DateInput, not_future
from botoxcare.models import ClinicSettings
from botoxcare.validators import CleanInput, lot_expiry_plausible

from ..models import ProductLot, ProductLotQuerySet, lot_usable_on
from ..models.sessions import Position, Reaction
from ..pathway import day
from ..reasons import Reason
from ..services.injection import SessionConduct
from ..sides import Sides, is_midline
from ..site_map import Panel, site_panels
from .vials import vial_formset


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
    """The session and one row per muscle of the clinic's protocol, pre-filled with the last
    session's sites and units when there was one (`previous`: muscle -> (sites, units); a
    muscle it did not have starts at its fixed dose), else the fixed PREEMPT doses; the
    clinician adjusts for follow-the-pain. A bilateral muscle's row has its left and right
    sites too, optional (blank: not recorded), starting from the last session's where it
    recorded them (`previous_sides`); the diagram's script fills them with what it shows."""

    session_date = forms.DateField(widget=DateInput(), initial=timezone.localdate)
    started_at = forms.TimeField(
        required=False, label="Started at", widget=forms.TimeInput(attrs={"type": "time"})
    )
    ended_at = forms.TimeField(
        required=False, label="Ended at", widget=forms.TimeInput(attrs={"type": "time"})
    )
    position = forms.ChoiceField(
        choices=[("", "—"), *Position.choices], required=False, label="Position"
    )
    skin_cleansed = forms.BooleanField(required=False, label="Injection areas cleansed")
    needle_gauge = forms.TypedChoiceField(
        choices=[("", "—"), *((g, f"{g} G") for g in (27, 30, 31, 32, 33))],
        coerce=int,
        empty_value=None,
        required=False,
        label="Needle gauge",
    )
    reaction = forms.ChoiceField(
        choices=[("", "—"), *Reaction.choices], required=False, label="Immediate reaction"
    )
    reaction_action = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        label="What was done about it",
    )
    tolerability = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(
        self,
        *args: Any,
        lots: ProductLotQuerySet,
        clinic_settings: ClinicSettings,
        today: date | None = None,
        previous: dict[str, tuple[int, int]] | None = None,
        previous_sides: dict[str, Sides] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        previous = previous or {}
        previous_sides = previous_sides or {}
        # A row of the dose table missing a cell (stored by hand) is left out, and nothing can
        # be recorded until the clinic admin completes it (`clean`).
        self.incomplete_muscles = clinic_settings.muscles_incomplete
        self.muscles = {
            key: limit
            for key, limit in clinic_settings.muscles_in_order.items()
            if key not in self.incomplete_muscles
        }
        self.muscle_rows = []
        start = {
            key: previous.get(key, (limit["fixed_sites"], limit["fixed_units"]))
            for key, limit in self.muscles.items()
        }
        for key, limit in self.muscles.items():
            sites = forms.IntegerField(
                min_value=0,
                max_value=99,
                initial=start[key][0],
                label=f"{limit['label']}: sites",
            )
            units = forms.IntegerField(
                min_value=0,
                max_value=999,
                initial=start[key][1],
                label=f"{limit['label']}: units",
            )
            self.fields[f"{key}_sites"] = sites
            self.fields[f"{key}_units"] = units
            sides: list[forms.BoundField | None] = [None, None]
            if not is_midline(key):
                started = previous_sides.get(key, (None, None)) if key in previous else None
                for i, side in enumerate(("left", "right")):
                    self.fields[f"{key}_{side}"] = forms.IntegerField(
                        min_value=0,
                        max_value=99,
                        required=False,
                        initial=started[i] if started else None,
                        label=f"{limit['label']}: sites on the {side}",
                    )
                    sides[i] = self[f"{key}_{side}"]
            self.muscle_rows.append((limit, self[f"{key}_sites"], self[f"{key}_units"], *sides))
        fixed_total = sum(units for _, units in start.values())
        offered = list(lots.usable_on(today or timezone.localdate()))
        # For the diagram and the vial rows' live sums (static/js): drawing, not judging.
        self.site_panels: list[Panel] = site_panels(self.muscles)
        self.lot_sizes = json.dumps({str(lot.pk): lot.vial_units for lot in offered})
        self.vials = vial_formset(
            args[0] if args else kwargs.get("data"),
            lots=lots,
            offered=offered,
            clinic_settings=clinic_settings,
            total_units=fixed_total,
        )
        self.vials_invalid = False

    def is_valid(self) -> bool:
        own = super().is_valid()
        rows = self.vials.is_valid()
        self.vials_invalid = self.vials_invalid or not rows
        return own and rows

    def add_error(self, field: str | None, error: Any) -> None:
        """A refusal about the vials goes to its row (`vials.<n>.<field>`, n counted among
        the rows used, as the service was given them) or above the vial rows (`vials`)."""
        if field is None or not (field == "vials" or field.startswith("vials.")):
            super().add_error(field, error)
            return
        self.vials_invalid = True
        if field == "vials":
            self.vials.non_form_errors().append(error)
            return
        _, n, name = field.split(".")
        self.vials.used_forms[int(n)].add_error(name, error)

    def field_for_refusal(self, refusal: Refusal) -> str | None:
        """The field a refusal from the pathway belongs to: a muscle's on its sites or units."""
        if refusal.field == "vials":
            return refusal.field
        if refusal.field.startswith("vials."):
            _, n, _name = refusal.field.split(".")
            return refusal.field if int(n) < len(self.vials.used_forms) else None
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
        names = ("session_date", "started_at", "ended_at", "position", "skin_cleansed")
        return [self[name] for name in names]

    @property
    def reaction_fields(self) -> list[forms.BoundField]:
        names = ("needle_gauge", "reaction", "reaction_action", "tolerability")
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

    def conduct(self) -> SessionConduct:
        data = self.cleaned_data
        return SessionConduct(
            started_at=data.get("started_at"),
            ended_at=data.get("ended_at"),
            position=data.get("position") or "",
            skin_cleansed=bool(data.get("skin_cleansed")),
            needle_gauge=data.get("needle_gauge"),
            reaction=data.get("reaction") or "",
            reaction_action=data.get("reaction_action") or "",
        )

    def sides(self) -> dict[str, Sides]:
        """(left, right) of the bilateral muscles given either (the service judges them)."""
        found = {}
        for key in self.muscles:
            if is_midline(key):
                continue
            left, right = (self.cleaned_data.get(f"{key}_{side}") for side in ("left", "right"))
            if left is not None or right is not None:
                found[key] = (left, right)
        return found

    def sites(self) -> dict[str, tuple[int, int]]:
        return {
            key: (self.cleaned_data[f"{key}_sites"], self.cleaned_data[f"{key}_units"])
            for key in self.muscles
        }
