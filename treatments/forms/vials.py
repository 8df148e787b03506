"""The injection form's vials: one row a vial used (1 to 4), with its lot, saline, the time it
was reconstituted, and its units given and discarded. The first rows start from the clinic's
soonest-expiring usable lot covering the protocol's fixed total; a row with no lot and no
units given is a vial not used. The service's guard (treatments/vials.py) judges the rest."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import DateTimeInput
from botoxcare.models import ClinicSettings
from botoxcare.validators import CleanInput

from ..models import ProductLot, ProductLotQuerySet
from ..reasons import Reason
from ..services import VialUse

MAX_VIALS = 4


def standard_diluent(vial_units: int, settings: ClinicSettings) -> Decimal:
    """The saline that gives the protocol's units per 0.1 mL site: 2 mL for 100 U, 4 mL for
    200 U at 5 U a site."""
    return (Decimal(vial_units) / (settings.units_per_site * 10)).quantize(Decimal("0.1"))


def vial_rows_initial(
    lot: ProductLot | None, total_units: int, settings: ClinicSettings
) -> list[dict[str, Any]]:
    """The rows a session of `total_units` would start from with vials of `lot`: each vial's
    units given until the total is reached, the rest of the last one discarded."""
    if lot is None or total_units <= 0:
        return []
    rows: list[dict[str, Any]] = []
    left = total_units
    while left > 0 and len(rows) < MAX_VIALS:
        given = min(lot.vial_units, left)
        rows.append(
            {
                "lot": lot.pk,
                "diluent_ml": standard_diluent(lot.vial_units, settings),
                "units_given": given,
                "units_discarded": lot.vial_units - given,
            }
        )
        left -= given
    return rows


def _lot_label(lot: ProductLot) -> str:
    """The lot's number and vial size first: a narrow row shows those."""
    return f"{lot.lot_number}, {lot.vial_units} U (exp. {lot.expiry_date:%d %b %Y})"


def _now_to_the_minute() -> Any:
    return timezone.localtime().replace(second=0, microsecond=0)


class VialForm(CleanInput, forms.Form):
    lot: forms.ModelChoiceField[ProductLot] = forms.ModelChoiceField(
        queryset=ProductLot.objects.none(), required=False, empty_label="Not used"
    )
    diluent_ml = forms.DecimalField(
        label="Saline (mL)",
        min_value=Decimal("0.5"),
        max_value=Decimal("10"),
        decimal_places=1,
        required=False,
        help_text="Left blank: the standard dilution (2 mL for 100 U, 4 mL for 200 U).",
    )
    reconstituted_at = forms.DateTimeField(
        label="Reconstituted at", widget=DateTimeInput(), required=False
    )
    units_given = forms.IntegerField(
        label="Units given", min_value=0, max_value=200, required=False
    )
    units_discarded = forms.IntegerField(
        label="Units discarded", min_value=0, max_value=200, required=False
    )

    def __init__(
        self,
        *args: Any,
        lots: ProductLotQuerySet,
        offered: list[ProductLot],
        clinic_settings: ClinicSettings,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.clinic_settings = clinic_settings
        # Any of the clinic's lots is accepted, so a lot that expired since the page was
        # served is refused with its reason; those usable today are offered.
        lot = self.fields["lot"]
        lot.queryset = lots  # type: ignore[attr-defined]
        lot.choices = [("", "Not used"), *((x.pk, _lot_label(x)) for x in offered)]  # type: ignore[attr-defined]
        self.fields["reconstituted_at"].initial = _now_to_the_minute
        self.fields["units_discarded"].initial = 0

    @property
    def used(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("lot")) or data.get("units_given") not in (None, "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.used:
            return data
        if data.get("lot") is None and "lot" not in self.errors:
            self.add_error("lot", self._missing("Choose the lot of this vial."))
        if data.get("reconstituted_at") is None and "reconstituted_at" not in self.errors:
            self.add_error("reconstituted_at", self._missing("When was this vial reconstituted?"))
        if data.get("units_given") is None and "units_given" not in self.errors:
            self.add_error("units_given", self._missing("How many units were given from it?"))
        lot = data.get("lot")
        if data.get("diluent_ml") is None and lot is not None and "diluent_ml" not in self.errors:
            data["diluent_ml"] = standard_diluent(lot.vial_units, self.clinic_settings)
        if data.get("units_discarded") is None:
            data["units_discarded"] = 0
        return data

    @staticmethod
    def _missing(text: str) -> forms.ValidationError:
        return forms.ValidationError(text, code=Reason.VIALS_INCOMPLETE)

    def vial(self) -> VialUse:
        data = self.cleaned_data
        return VialUse(
            lot=data["lot"],
            diluent_ml=data["diluent_ml"],
            reconstituted_at=data["reconstituted_at"],
            units_given=data["units_given"],
            units_discarded=data["units_discarded"],
        )


class BaseVialFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        if not any(form.used for form in self.forms):
            raise forms.ValidationError(
                "Record the vial or vials the session used.", code=Reason.VIALS_MISSING
            )

    @property
    def used_forms(self) -> list[VialForm]:
        return [form for form in self.forms if form.used]

    def vials(self) -> list[VialUse]:
        return [form.vial() for form in self.used_forms]


def vial_formset(
    data: Any,
    *,
    lots: ProductLotQuerySet,
    offered: list[ProductLot],
    clinic_settings: ClinicSettings,
    total_units: int,
) -> BaseVialFormSet:
    """The vial rows: those the fixed total needs from the first lot offered, one blank row
    more, at most MAX_VIALS."""
    initial = vial_rows_initial(offered[0] if offered else None, total_units, clinic_settings)
    extra = max(0, min(MAX_VIALS, len(initial) + 1) - len(initial))
    formset_class = forms.formset_factory(
        VialForm,
        formset=BaseVialFormSet,
        extra=extra,
        max_num=MAX_VIALS,
        absolute_max=MAX_VIALS,
        validate_max=True,
    )
    return formset_class(  # type: ignore[return-value]
        data,
        prefix="vials",
        initial=initial,
        form_kwargs={"lots": lots, "offered": offered, "clinic_settings": clinic_settings},
    )
