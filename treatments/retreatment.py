"""Re-treatment: when the next cycle may start, when it is due, and the one status rule every
page reads (before the window, window open, due, overdue by N days)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from botoxcare.errors import Refusal

from .pathway import consent_problem, day, review_missing
from .reasons import Reason

if TYPE_CHECKING:
    from botoxcare.models import ClinicSettings

    from .models import Consent, InjectionSession, ResponseReview


class Due(StrEnum):
    BEFORE_WINDOW = "before_window"
    WINDOW_OPEN = "window_open"
    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class RetreatmentStatus:
    """Where a course stands against its re-treatment window on `today`."""

    opens: date
    due: date
    today: date

    @property
    def kind(self) -> Due:
        if self.today < self.opens:
            return Due.BEFORE_WINDOW
        if self.today < self.due:
            return Due.WINDOW_OPEN
        if self.today == self.due:
            return Due.DUE
        return Due.OVERDUE

    @property
    def overdue_days(self) -> int:
        return max(0, (self.today - self.due).days)

    @property
    def needs_booking(self) -> bool:
        """Due today or overdue: the patient should be booked now."""
        return self.kind in (Due.DUE, Due.OVERDUE)

    @property
    def label(self) -> str:
        """The status in the clinic's words; empty before the window opens."""
        kind = self.kind
        if kind == Due.OVERDUE:
            n = self.overdue_days
            return f"overdue by {n} day{'s' if n != 1 else ''}"
        return {Due.WINDOW_OPEN: "window open", Due.DUE: "due today"}.get(kind, "")


def retreatment_status(
    last_session: date | None, settings: ClinicSettings, today: date
) -> RetreatmentStatus | None:
    """The status after the last session, or None before any session."""
    if last_session is None:
        return None
    opens, due = retreatment_window(last_session, settings)
    return RetreatmentStatus(opens=opens, due=due, today=today)


@dataclass(frozen=True)
class BookingDays:
    """The days (both ends included) a patient may choose for their own re-treatment visit."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= day <= self.last

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def self_booking_days(
    status: RetreatmentStatus | None, settings: ClinicSettings
) -> BookingDays | None:
    """The one rule for booking in the portal, judged on `status.today`: the window itself,
    from its opening day (or today, once open) to the due day; on the due day or later, today
    and the clinic's `self_booking_late_days` - 1 days after. None before any session, or
    while the window opens more than `self_booking_notice_days` ahead (nothing offered yet)."""
    if status is None or (status.opens - status.today).days > settings.self_booking_notice_days:
        return None
    if status.needs_booking:
        last = status.today + timedelta(days=settings.self_booking_late_days - 1)
        return BookingDays(status.today, last)
    return BookingDays(max(status.opens, status.today), status.due)


def retreatment_window(session_date: date, settings: ClinicSettings) -> tuple[date, date]:
    """(the first day re-treatment may start, the day it is due) after a session."""
    return (
        session_date + timedelta(weeks=settings.retreatment_window_weeks),
        session_date + timedelta(weeks=settings.retreatment_due_weeks),
    )


def window_closed(opens: date, settings: ClinicSettings) -> Refusal:
    return Refusal(
        Reason.WINDOW_NOT_OPEN,
        f"The re-treatment window opens on {day(opens)} "
        f"({settings.retreatment_window_weeks} weeks after the last session); "
        "earlier needs a clinician's override with a reason.",
    )


def retreatment_refusals(
    session: InjectionSession | None,
    review: ResponseReview | None,
    consent: Consent | None,
    today: date,
    settings: ClinicSettings,
) -> list[Refusal]:
    if session is None:
        return [Refusal(Reason.NO_SESSION, "No injection session has been recorded.")]
    found = []
    missing = review_missing(session, review)
    if missing:
        found.append(missing)
    opens, _due = retreatment_window(session.session_date, settings)
    if today < opens and not (missing is None and review is not None and review.override_reason):
        found.append(window_closed(opens, settings))
    problem = consent_problem(consent, today, settings.consent_valid_days)
    if problem:
        found.append(
            Refusal(problem.code, problem.message + " Renew the consent first.", problem.field)
        )
    return found


def stop_rule_refusals(*, stop_rule_met: bool, why: str, reason: str) -> list[Refusal]:
    """Re-treatment while the diary's stop rule is met needs the clinician's reason. The
    caller judges the rule from the diary (treatments reads no diary) and passes it in."""
    if not stop_rule_met or reason.strip():
        return []
    return [
        Refusal(
            Reason.STOP_RULE_NEEDS_REASON,
            f"The stop rule is met ({why.rstrip('.')}): give the clinical reason to continue.",
            field="stop_rule_reason",
        )
    ]
