"""Drive a course along the pathway through the services, as staff would, for tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from botoxcare.models import PREEMPT_MUSCLES
from treatments import services
from treatments.models import Course, State

FIXED_SITES = {m: (lim["fixed_sites"], lim["fixed_units"]) for m, lim in PREEMPT_MUSCLES.items()}

ORDER = [State.CONSULTATION, State.CONSENT, State.INJECTION, State.POST_CARE, State.MAINTENANCE]


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def consultation_kwargs(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "seen_on": timezone.localdate(),
        "history": "Daily headache for two years.",
        "previous_preventives": "Propranolol, amitriptyline, topiramate: no benefit.",
        "failed_preventives_count": 3,
        "headache_days_per_month": 22,
        "migraine_days_per_month": 12,
        "chronic_migraine_confirmed": True,
        "benefits_risks_discussed": True,
        "medication_overuse": "none",
        "decision": "proceed",
    }
    data.update(overrides)
    return data


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


def advance(
    course: Course, to: str, *, clinician: Any, nurse: Any, lot: Any, start: date | None = None
) -> Course:
    """Record every step from the course's state up to `to`, dated from `start` onwards."""
    day = start or timezone.localdate()
    target = ORDER.index(State(to))
    course.refresh_from_db()
    while ORDER.index(State(course.state)) < target:
        state = course.state
        if state == State.CONSULTATION:
            services.consultation_record(
                course=course, by=clinician, now=at(day), **consultation_kwargs(seen_on=day)
            )
            services.course_transition(
                course=course, name="complete_evaluation", by=clinician, now=at(day, 11)
            )
        elif state == State.CONSENT:
            services.preparation_record(
                course=course,
                by=nurse,
                reviewed_on=day,
                advice="Pause fish oil for 3 days.",
                flags={},
                now=at(day),
            )
            services.consent_record_paper(
                course=course, by=nurse, signer_name="The Patient", signed_on=day, now=at(day)
            )
            services.course_transition(
                course=course, name="record_consent", by=nurse, now=at(day, 11)
            )
        elif state == State.INJECTION:
            services.injection_session_record(
                course=course,
                by=clinician,
                session_date=day,
                lot=lot,
                diluent_ml=Decimal("4.0"),
                sites=FIXED_SITES,
                now=at(day, 12),
            )
        elif state == State.POST_CARE:
            services.aftercare_issue(
                course=course,
                by=nurse,
                issued_on=day,
                comfort_measures="Cold compress.",
                follow_up_at=at(day + timedelta(weeks=4), 14),
                now=at(day, 13),
            )
            services.course_maintenance_start(course=course, by=nurse, now=at(day, 13))
        course.refresh_from_db()
    return course
