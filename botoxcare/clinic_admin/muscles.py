"""The rules a clinic's dose limits per muscle must keep: pure, one place, read by the
settings service (and so by the page that edits them as a table)."""

from __future__ import annotations

from collections.abc import Mapping

from ..defaults import muscle_cells_missing
from ..errors import Refusal
from ..models import MuscleLimit
from .reasons import AdminReason

COLUMNS = ("fixed_units", "fixed_sites", "max_units", "max_sites")


def muscle_field(muscle: str, column: str) -> str:
    """The refusal field (and change-history field) of one cell of the table."""
    return f"muscle_limits.{muscle}.{column}"


def muscle_limit_refusals(
    limits: Mapping[str, MuscleLimit],
    *,
    units_per_site: int,
    max_total_units: int,
    muscles: set[str],
) -> list[Refusal]:
    """Every reason the table is wrong: each dose is whole sites at `units_per_site` units,
    the fixed dose is within the maximum, and the total allows the fixed doses together.

    `muscles` are the muscles the injection form knows: none may be added or dropped here.
    """
    found: list[Refusal] = []
    if set(limits) != muscles:
        found.append(
            Refusal(AdminReason.MUSCLES_CHANGED, "The table must have one row for each muscle.")
        )
        return found
    for muscle, limit in limits.items():
        for column in muscle_cells_missing(limit):
            found.append(
                Refusal(
                    AdminReason.MUSCLE_CELL_MISSING,
                    "Fill in this cell: a whole number (a name for the label).",
                    field=muscle_field(muscle, column),
                    subject=muscle,
                )
            )
    if found:  # the rules below read every cell
        return found
    for muscle, limit in limits.items():
        label = limit["label"].strip() or muscle
        if not limit["label"].strip():
            found.append(
                Refusal(
                    AdminReason.MUSCLE_LABEL_MISSING,
                    "Give the muscle a name.",
                    field=muscle_field(muscle, "label"),
                    subject=muscle,
                )
            )
        for kind in ("fixed", "max"):
            units, sites = limit[f"{kind}_units"], limit[f"{kind}_sites"]  # type: ignore[literal-required]
            if units != sites * units_per_site:
                found.append(
                    Refusal(
                        AdminReason.MUSCLE_UNITS_NOT_SITES,
                        f"{units} units is not {sites} sites at {units_per_site} units a site "
                        f"({sites * units_per_site} units).",
                        field=muscle_field(muscle, f"{kind}_units"),
                        subject=label,
                    )
                )
        for unit in ("units", "sites"):
            fixed, most = limit[f"fixed_{unit}"], limit[f"max_{unit}"]  # type: ignore[literal-required]
            if fixed > most:
                found.append(
                    Refusal(
                        AdminReason.MUSCLE_FIXED_ABOVE_MAX,
                        f"The fixed dose ({fixed} {unit}) is above the maximum ({most} {unit}).",
                        field=muscle_field(muscle, f"fixed_{unit}"),
                        subject=label,
                    )
                )
    fixed_total = sum(limit["fixed_units"] for limit in limits.values())
    if max_total_units < fixed_total:
        found.append(
            Refusal(
                AdminReason.TOTAL_BELOW_FIXED,
                f"The maximum total ({max_total_units} units) is below the fixed doses "
                f"together ({fixed_total} units).",
                field="max_total_units",
            )
        )
    return found
