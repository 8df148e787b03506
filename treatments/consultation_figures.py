"""The monthly figures a consultation may hold, judged once for the consultation form and for
an amendment of a recorded consultation (services/amendments.py): at most 31 days a month,
no more migraine days than headache days, and chronic migraine confirmed only with figures
that reach the clinic's thresholds (pathway.below_chronic)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botoxcare.errors import Refusal

from .pathway import below_chronic
from .reasons import Reason

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

MONTH_DAYS = 31


def figure_refusals(
    headache: int | None,
    migraine: int | None,
    chronic_confirmed: bool,
    settings: ClinicSettings,
) -> list[Refusal]:
    found = [
        Refusal(Reason.MONTH_DAYS_EXCEEDED, "A month has at most 31 days.", field=name)
        for name, value in (
            ("headache_days_per_month", headache),
            ("migraine_days_per_month", migraine),
        )
        if (value or 0) > MONTH_DAYS
    ]
    if headache is not None and migraine is not None and migraine > headache:
        found.append(
            Refusal(
                Reason.MIGRAINE_ABOVE_HEADACHE,
                "Migraine days cannot exceed headache days.",
                field="migraine_days_per_month",
            )
        )
    if chronic_confirmed and below_chronic(headache, migraine, settings):
        found.append(
            Refusal(
                Reason.FIGURES_BELOW_CHRONIC,
                f"Chronic migraine needs at least {settings.chronic_headache_days} headache "
                f"days and {settings.chronic_migraine_days} migraine days a month; check the "
                "figures or untick this.",
                field="chronic_migraine_confirmed",
            )
        )
    return found
