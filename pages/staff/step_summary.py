"""Where a course stands, for the roles that do not read the clinical record (reception, the
clinic admin): the step, what it waits for in words that name no clinical fact, the next
booked visit and the re-treatment window. They take no step, so they get this summary instead
of the clinical buttons (docs/PERMISSIONS.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from patients.models import Appointment, AppointmentKind, AppointmentStatus
from treatments.models import Course, State
from treatments.retreatment import RetreatmentStatus

# What each step waits for, and the visit it needs booked: said without the record's content
# (no flagged medicines, overuse or reasons), since the reader may not see it.
WAITS_FOR: dict[str, tuple[str, str]] = {
    State.CONSULTATION: (
        "A clinician sees the patient and records the consultation.",
        AppointmentKind.CONSULTATION,
    ),
    State.CONSENT: (
        "The signed consent and the preparation review, recorded by a clinician or nurse.",
        AppointmentKind.CONSENT,
    ),
    State.INJECTION: ("The injection session, given by a clinician.", AppointmentKind.INJECTION),
    State.POST_CARE: (
        "Aftercare and the follow-up, arranged by a clinician or nurse.",
        AppointmentKind.FOLLOW_UP,
    ),
    State.MAINTENANCE: (
        "The re-treatment window; a clinician reviews the response before the next session.",
        AppointmentKind.INJECTION,
    ),
    State.DISCONTINUED: ("Nothing: the course has stopped. A clinician may start a new one.", ""),
}


@dataclass(frozen=True)
class StepSummary:
    step: str
    waits_for: str
    next_visit: Appointment | None
    visit_needed: str  # the kind of visit the step needs and that is not booked, or ""
    retreatment: RetreatmentStatus | None


def step_summary(
    course: Course,
    *,
    appointments: Iterable[Appointment],
    retreatment: RetreatmentStatus | None,
    now: datetime,
) -> StepSummary:
    """`appointments` are those the page already read (appointments_for, newest first)."""
    waits_for, kind = WAITS_FOR[course.state]
    booked = sorted(
        (a for a in appointments if a.status == AppointmentStatus.BOOKED and a.starts_at >= now),
        key=lambda a: a.starts_at,
    )
    needed = kind and not any(a.kind == kind for a in booked)
    return StepSummary(
        step=course.get_state_display(),
        waits_for=waits_for,
        next_visit=booked[0] if booked else None,
        visit_needed=AppointmentKind(kind).label if needed else "",
        retreatment=retreatment,
    )
