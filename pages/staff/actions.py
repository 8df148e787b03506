"""What the patient page offers at the course's step: each step of the machine (from the step
table, treatments/steps.py) and each record that proves one, with what it waits for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

from django.urls import reverse
from django.utils import timezone

from botoxcare.errors import Refusal
from botoxcare.roles import MATRIX, Action
from patients.models import AppointmentStatus
from treatments.models import Course, State, Transition
from treatments.pathway import consent_waiting, day, recorded_since, review_missing
from treatments.reasons import Reason
from treatments.steps import STEPS

# The re-treatment form records the review and any early-start override itself, so the button
# that opens it does not wait for them.
RETREATMENT_FORM_RECORDS = {Reason.RESPONSE_NOT_REVIEWED, Reason.WINDOW_NOT_OPEN}


@dataclass(frozen=True)
class StepAction:
    """One thing that can be done on the patient page now, and what it waits for."""

    label: str
    url: str
    opens_page: bool  # a link to a form or a confirmation; otherwise a button that posts
    action: Action
    permitted: bool
    waits_for: list[Refusal] = field(default_factory=list)
    style: str = "primary"
    done: str = ""  # what is already on file, e.g. "Signed 24 Nov 2026"

    @property
    def needs(self) -> str:
        """Who may do it, for the note beside a button the user's role cannot press."""
        roles = sorted(role.value for role in MATRIX[self.action][0])
        names = [f"a {r}" if r != "admin" else "an admin" for r in roles]
        return " or ".join(names)


def course_actions(
    course: Course | None, *, patient_pk: int, can: dict[str, bool], today: date
) -> list[StepAction]:
    """The patient page's actions for the course's step, each with the refusals it waits for."""

    def record(label: str, url: str, action: Action, done: str = "") -> StepAction:
        return StepAction(
            label,
            reverse(url, args=[patient_pk]),
            True,
            action,
            can[action.value],
            style="secondary",
            done=done,
        )

    def step(name: Transition, waits_for: list[Refusal] | None = None) -> StepAction:
        s = STEPS[name]
        args = [patient_pk, s.transition.value] if s.generic else [patient_pk]
        if waits_for is None:
            waits_for = s.refusals(course, today) if s.refusals and course else []
        return StepAction(
            s.label,
            reverse(s.url, args=args),
            s.ask_first,
            s.action,
            can[s.action.value],
            waits_for=waits_for,
            style=s.style,
        )

    if course is None or course.state == State.DISCONTINUED:
        start = reverse("treatments:course-start", args=[patient_pk])
        label = "Start a new treatment course"
        action = Action.START_COURSE
        return [StepAction(label, start, False, action, can[action.value])]
    build: dict[str, Callable[[], list[StepAction]]] = {
        State.CONSULTATION: lambda: _consultation(course, record, step, today),
        State.CONSENT: lambda: _consent(course, record, step),
        State.INJECTION: lambda: _injection(course, record, step, today),
        State.POST_CARE: lambda: _post_care(course, record, step),
        State.MAINTENANCE: lambda: _maintenance(course, step, today),
    }
    return [*build[course.state](), step(Transition.DISCONTINUE)]


Record = Callable[..., StepAction]
Step = Callable[..., StepAction]


def _consultation(course: Course, record: Record, step: Step, today: date) -> list[StepAction]:
    seen = course.latest_consultation
    actions = [
        record(
            "Record consultation",
            "staff:consultation",
            Action.RECORD_CONSULTATION,
            done=f"Seen {day(seen.seen_on)}" if seen else "",
        ),
        step(Transition.COMPLETE_EVALUATION),
    ]
    if not course.decline_refusals(today):
        actions.append(step(Transition.DECLINE))
    return actions


def _consent(course: Course, record: Record, step: Step) -> list[StepAction]:
    consent, prep = course.latest_consent, course.latest_preparation
    renewed = course.consent_renewed_at
    signed = consent is not None and recorded_since(consent, renewed)
    how = "in the portal" if consent and consent.is_electronic else "on paper"
    return [
        record(
            "Record signed consent",
            "treatments:consent",
            Action.RECORD_CONSENT,
            done=f"Signed {how} {day(consent.signed_on)}" if consent and signed else "",
        ),
        *([] if signed else [_send_consent(course, record)]),
        record(
            "Record preparation review",
            "treatments:preparation",
            Action.RECORD_PREPARATION,
            done=f"Reviewed {day(prep.reviewed_on)}"
            if prep and recorded_since(prep, renewed)
            else "",
        ),
        step(Transition.RECORD_CONSENT),
    ]


def _injection(course: Course, record: Record, step: Step, today: date) -> list[StepAction]:
    actions = []
    if review_missing(course.latest_session, course.latest_review):
        actions.append(record("Review response", "staff:review", Action.START_RETREATMENT))
    # The session is not recorded yet: show what one recorded today would wait for.
    actions.append(step(Transition.RECORD_INJECTION, waits_for=course.session_waits_for(today)))
    # A consent withdrawn, expired or about to expire is renewed here (back to step 2) rather
    # than by discontinuing the course; while it is good for a while, nothing is offered.
    if not course.renewal_refusals(today):
        actions.append(step(Transition.RENEW_CONSENT))
    return actions


def _post_care(course: Course, record: Record, step: Step) -> list[StepAction]:
    session = course.latest_session
    aftercare = next(
        (a for a in course.aftercares.all() if session and a.session_id == session.pk), None
    )
    actions = []
    if aftercare is None:
        actions.append(
            record(
                "Issue aftercare and book follow-up",
                "treatments:aftercare",
                Action.ISSUE_AFTERCARE,
            )
        )
    elif aftercare.follow_up is None or aftercare.follow_up.status != AppointmentStatus.BOOKED:
        actions.append(
            record("Book a new follow-up visit", "treatments:follow-up", Action.ISSUE_AFTERCARE)
        )
    actions.append(step(Transition.START_MAINTENANCE))
    return actions


def _maintenance(course: Course, step: Step, today: date) -> list[StepAction]:
    waiting = [
        r for r in course.retreatment_refusals(today) if r.code not in RETREATMENT_FORM_RECORDS
    ]
    return [
        step(Transition.START_RETREATMENT, waits_for=waiting),
        step(Transition.RENEW_CONSENT),
    ]


def _send_consent(course: Course, record: Record) -> StepAction:
    """Send the consent to sign in the portal; once sent, it waits for the patient."""
    action = record("Send to sign in the portal", "treatments:consent-send", Action.RECORD_CONSENT)
    waiting = course.latest_consent_request
    waits_for = []
    if waiting is not None and waiting.is_open:
        viewed = timezone.localdate(waiting.viewed_at) if waiting.viewed_at else None
        waits_for = [consent_waiting(timezone.localdate(waiting.sent_at), viewed)]
    return replace(action, opens_page=False, waits_for=waits_for)
