"""A muscle's sites by side: which muscles of the protocol have two (all but the midline
ones), and the guard's rule that the sides, where given, add up to the muscle's sites.

The side is optional: a muscle's left and right are null when the form posted none (no
script, or a session before sides were recorded), and the muscle's total is then judged as
before. The dose limits are the muscle's (treatments/dosing.py), whatever its sides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botoxcare.errors import Refusal

from .reasons import Reason

# The PREEMPT muscles injected on the midline, one site and no side; every other muscle of a
# clinic's table (the protocol's bilateral ones, and any the clinic adds) may be given sides.
MIDLINE = frozenset({"procerus"})

Sides = tuple[int | None, int | None]  # (left, right), None where not recorded


def is_midline(muscle: str) -> bool:
    return muscle in MIDLINE


def side_refusals(
    rows: Mapping[str, tuple[int, int | None, int | None]], muscles: Mapping[str, Any]
) -> list[Refusal]:
    """`rows` maps a muscle to (sites, left, right): a midline muscle given sides is refused,
    and a bilateral one given either side must have both, adding up to its sites. The
    refusals are on the muscle's row (`sites.<muscle>.left`, or `.sites` for a midline one)."""
    found = []
    for muscle, (n_sites, left, right) in rows.items():
        if left is None and right is None:
            continue
        limit = muscles.get(muscle)
        label = str(limit.get("label") or muscle) if isinstance(limit, dict) else muscle
        if is_midline(muscle):
            found.append(
                Refusal(
                    Reason.SIDES_OF_MIDLINE,
                    "This muscle is injected on the midline: it has no left and right sites.",
                    field=f"sites.{muscle}.sites",
                    subject=label,
                )
            )
        elif left is None or right is None or left + right != n_sites:
            shown = ["—" if n is None else str(n) for n in (left, right)]
            found.append(
                Refusal(
                    Reason.SIDES_NOT_SITES,
                    f"{shown[0]} left and {shown[1]} right is not the {n_sites} sites given: "
                    "give both sides adding up to the sites, or neither.",
                    field=f"sites.{muscle}.left",
                    subject=label,
                )
            )
    return found
