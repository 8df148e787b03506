"""One table of the pathway's steps: for each transition, who may take it, how the patient page
names it, what it asks before and says after, and which form records it. The services, the
step pages, the patient page and the permission checks all read this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from botoxcare.errors import Refusal
from botoxcare.roles import Action

from .choices import Transition
from .models import Course

GENERIC_URL = "treatments:step"


@dataclass(frozen=True)
class Step:
    transition: Transition
    action: Action
    run: Callable[..., None]  # the Course method: run(course, today=…, **details)
    success: str
    # The guard the patient page shows as "Waiting for:"; None where a form checks it.
    refusals: Callable[[Course, date], list[Refusal]] | None = None
    # The page that takes the step: the generic step page, or the step's own form or view.
    url: str = GENERIC_URL
    # The patient page's button opens that page (a form, or `confirm` on the generic page)
    # rather than taking the step at once.
    ask_first: bool = False
    confirm: str = ""
    writes: tuple[str, ...] = ()  # fields the transition sets besides `state`
    style: str = "primary"

    @property
    def label(self) -> str:
        return self.transition.label

    @property
    def generic(self) -> bool:
        """Taken on the generic step page: it records nothing but the transition."""
        return self.url == GENERIC_URL


STEPS: dict[Transition, Step] = {
    step.transition: step
    for step in [
        Step(
            Transition.COMPLETE_EVALUATION,
            Action.COMPLETE_EVALUATION,
            Course.complete_evaluation,
            refusals=Course.evaluation_refusals,
            confirm="The patient moves to step 2, preparing for treatment.",
            success="Evaluation complete: the patient is preparing for treatment.",
        ),
        Step(
            Transition.DECLINE,
            Action.COMPLETE_EVALUATION,
            Course.decline,
            refusals=Course.decline_refusals,
            confirm="The course will be discontinued as the patient's choice. A new course can "
            "be started later.",
            success="Recorded that the patient declines treatment; the course is discontinued.",
            ask_first=True,
            writes=("discontinue_reason",),
            style="danger",
        ),
        Step(
            Transition.RECORD_CONSENT,
            Action.RECORD_CONSENT,
            Course.record_consent,
            refusals=Course.consent_refusals,
            confirm="The patient moves to step 3, ready for injection.",
            success="Consent and preparation confirmed: ready for injection.",
        ),
        Step(
            Transition.RECORD_INJECTION,
            Action.RECORD_INJECTION,
            Course.record_injection,
            url="treatments:injection",
            ask_first=True,
            writes=("last_session_on",),
            success="Injection session recorded; the course is now at post-treatment care.",
        ),
        Step(
            Transition.START_MAINTENANCE,
            Action.START_MAINTENANCE,
            Course.start_maintenance,
            refusals=Course.maintenance_refusals,
            url="treatments:maintenance",
            success="The course is now in maintenance; reminders are scheduled.",
        ),
        Step(
            Transition.START_RETREATMENT,
            Action.START_RETREATMENT,
            Course.start_retreatment,
            url="staff:retreatment",
            ask_first=True,
            success="Response reviewed; the course is ready for its next injection session.",
        ),
        Step(
            Transition.RENEW_CONSENT,
            Action.RENEW_CONSENT,
            Course.renew_consent,
            refusals=Course.renewal_refusals,
            confirm="The course goes back to step 2: a new signed consent and a new "
            "preparation review are needed before the next session.",
            success="The course is back at step 2 for a new consent.",
            ask_first=True,
            style="secondary",
        ),
        Step(
            Transition.DISCONTINUE,
            Action.DISCONTINUE,
            Course.discontinue,
            url="treatments:discontinue",
            ask_first=True,
            success="Course discontinued.",
            writes=("discontinue_reason", "discontinue_detail"),
            style="danger",
        ),
    ]
}


def step_for(name: str) -> Step | None:
    """The step a URL slug or log name names, or None."""
    try:
        return STEPS[Transition(name)]
    except ValueError:
        return None
