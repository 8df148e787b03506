"""Drive a course along the pathway through the services, as staff would, for tests. The
walk itself is the app's one walker (treatments.walk); this module keeps the names tests use."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from treatments import services
from treatments.models import Course
from treatments.walk import FIXED_SITES, ORDER, advance, at, consultation_kwargs

__all__ = [
    "FIXED_SITES",
    "ORDER",
    "advance",
    "at",
    "consultation_kwargs",
    "record_session",
    "vial_uses",
]


def record_session(
    course: Course,
    *,
    clinician: Any,
    lot: Any,
    day: date | None = None,
    diluent_ml: str = "",
    sites: dict[str, tuple[int, int]] | None = None,
    vials: list[services.VialUse] | None = None,
    **kwargs: Any,
) -> Any:
    """Record an injection session with the fixed PREEMPT doses unless told otherwise, from
    as many vials of `lot` as the units need (the last one's rest discarded), reconstituted
    half an hour before the session (on a past day, at 09:30 that day), unless `vials` says
    otherwise."""
    day = day or timezone.localdate()
    sites = FIXED_SITES if sites is None else sites
    if vials is None:
        moment = kwargs.get("now") or timezone.now()
        if day != timezone.localdate(moment):
            moment = at(day, 10)
        vials = vial_uses(
            lot,
            sum(units for _n, units in sites.values()),
            reconstituted_at=moment - timedelta(minutes=30),
            diluent_ml=Decimal(diluent_ml) if diluent_ml else None,
        )
    return services.injection_session_record(
        course=course, by=clinician, session_date=day, vials=vials, sites=sites, **kwargs
    )


def vial_uses(
    lot: Any,
    total: int,
    *,
    reconstituted_at: datetime,
    diluent_ml: Decimal | None = None,
) -> list[services.VialUse]:
    """The vials of `lot` that give `total` units: each in full but the last."""
    uses = []
    left = total
    while left > 0:
        given = min(lot.vial_units, left)
        uses.append(
            services.VialUse(
                lot=lot,
                diluent_ml=diluent_ml or Decimal(lot.vial_units) / 50,
                reconstituted_at=reconstituted_at,
                units_given=given,
                units_discarded=lot.vial_units - given,
            )
        )
        left -= given
    return uses
