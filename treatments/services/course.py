"""The machine's writes: running a transition under a lock with its log, starting and ending
courses. Every other service that moves the course calls `transition_run` here."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from botoxcare.audit import log_action
from botoxcare.errors import DomainError, refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require
from patients.models import CallbackRequest, Patient
from patients.services import callback_match, patient_register

from ..models import (
    Course,
    CourseTransition,
    DiscontinueReason,
    InjectionSession,
    State,
    Transition,
)
from ..pathway import not_at_this_step
from ..reasons import Reason
from ..steps import STEPS
from .reminders import reminders_cancel


def course_lock(course: Course) -> Course:
    """The course row, locked for this transaction and read afresh."""
    return (
        Course.objects.select_for_update(of=("self",))
        .select_related("patient__clinic__settings")
        .get(pk=course.pk)
    )


def require_state(course: Course, *states: State) -> None:
    if course.state not in states:
        raise DomainError(not_at_this_step(course.get_state_display()))


def latest_session(course: Course) -> InjectionSession:
    session = course.latest_session
    if session is None:
        raise refuse(Reason.NO_SESSION, "No injection session has been recorded on this course.")
    return session


def current_state_keep(patient_id: int) -> None:
    """`Patient.current_state`: the state of the patient's latest course, which the staff
    list filters by through an index. Called where a course opens and where one moves
    (`transition_run`), in their transactions."""
    latest = Course.objects.filter(patient=OuterRef("pk")).order_by("-started_on", "-id")
    Patient.objects.filter(pk=patient_id).update(
        current_state=Coalesce(Subquery(latest.values("state")[:1]), Value(""))
    )


def transition_run(
    course: Course,
    name: Transition,
    *,
    by: User,
    now: datetime,
    reason: str = "",
    **details: Any,
) -> None:
    """Take step `name` on a course locked by the caller, and log it in the same transaction.

    The transition checks its guard once, on the clinic's date of `now`. Raises
    PermissionDenied for a role the step table does not allow, DomainError (changing
    nothing) when the machine refuses.
    """
    step = STEPS[name]
    require(by, step.action)
    source = course.state
    try:
        step.run(course, today=timezone.localdate(now), **details)
    except TransitionNotAllowed as exc:
        raise refuse(
            Reason.STEP_NOT_POSSIBLE,
            f"This course is at '{course.get_state_display()}', where that step is not possible.",
        ) from exc
    course.save(update_fields=["state", *step.writes])
    current_state_keep(course.patient_id)
    CourseTransition.objects.create(
        course=course, name=name, source=source, target=course.state, by=by, at=now, reason=reason
    )
    log_action(
        "course.transition",
        user=by,
        patient=course.patient,
        target=course,
        data={
            "transition": name,
            "state": [source, course.state],
            **({"reason": reason} if reason else {}),
        },
    )


def course_transition(
    *,
    course: Course,
    name: str,
    by: User,
    reason: str = "",
    now: datetime | None = None,
) -> Course:
    """Take a step that records nothing but itself (complete_evaluation, decline,
    record_consent, renew_consent). Two people pressing at once: the second is refused."""
    step = STEPS.get(Transition(name)) if name in Transition.values else None
    if step is None or not step.generic:
        raise refuse(Reason.STEP_NOT_POSSIBLE, "That step is recorded through its own form.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        transition_run(locked, step.transition, by=by, now=now, reason=reason)
    return locked


def course_start(*, patient: Patient, by: User, started_on: date) -> Course:
    """A new course at step 1; refused while the patient has an active course."""
    require(by, Action.START_COURSE)
    with transaction.atomic():
        Patient.objects.select_for_update().get(pk=patient.pk)
        if patient.courses.exclude(state=State.DISCONTINUED).exists():
            raise refuse(
                Reason.ACTIVE_COURSE_EXISTS, "This patient already has an active treatment course."
            )
        course = Course.objects.create(patient=patient, started_on=started_on)
        current_state_keep(patient.pk)
        _course_started(course, by=by)
        return course


def _course_started(course: Course, *, by: User) -> None:
    log_action(
        "course.started",
        user=by,
        patient=course.patient,
        target=course,
        data={"started_on": course.started_on},
    )


def patient_refer(
    *,
    clinic: Clinic,
    by: User,
    referred_on: date,
    callback: CallbackRequest | None = None,
    **details: Any,
) -> Patient:
    """Register a referred patient (patients.services.patient_register takes `details`) and
    open their first course at step 1, in one transaction; a call-back request the patient
    was registered from is linked to them in the same transaction."""
    with transaction.atomic():
        patient = patient_register(clinic=clinic, by=by, **details)
        _course_started(Course.objects.create(patient=patient, started_on=referred_on), by=by)
        current_state_keep(patient.pk)
        if callback is not None:
            callback_match(callback=callback, patient=patient, by=by)
    return patient


def course_discontinue(
    *,
    course: Course,
    by: User,
    reason: str,
    detail: str = "",
    now: datetime | None = None,
) -> Course:
    """Stop the course for `reason` (a DiscontinueReason); its pending reminders stop too."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        label = DiscontinueReason(reason).label if reason in DiscontinueReason.values else ""
        transition_run(
            locked,
            Transition.DISCONTINUE,
            by=by,
            now=now,
            reason=f"{label}. {detail}".strip(),
            cause=reason,
            detail=detail,
        )
        reminders_cancel(course=locked, now=now)
    return locked
