"""Drive a course along the pathway through the services, as staff would, for tests. The
walk itself is the app's one walker (treatments.walk); this module keeps the names tests use."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from treatments import services
from treatments.models import Course
from treatments.walk import FIXED_SITES, ORDER, advance, at, consultation_kwargs

__all__ = ["FIXED_SITES", "ORDER", "advance", "at", "consultation_kwargs", "record_session"]


def record_session(
    course: Course,
    *,
    clinician: Any,
    lot: Any,
    day: date | None = None,
    diluent_ml: str = "4",
    sites: dict[str, tuple[int, int]] | None = None,
    **kwargs: Any,
) -> Any:
    """Record an injection session with the fixed PREEMPT doses unless told otherwise."""
    return services.injection_session_record(
        course=course,
        by=clinician,
        session_date=day or timezone.localdate(),
        lot=lot,
        diluent_ml=Decimal(diluent_ml),
        sites=FIXED_SITES if sites is None else sites,
        **kwargs,
    )
