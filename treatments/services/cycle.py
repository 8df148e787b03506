"""Steps 4 and 5: aftercare and its follow-up, maintenance with its reminders, and the review
of a cycle's response that opens the next one."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import raise_if, refuse
from botoxcare.roles import Action, require
from patients.models import AppointmentKind, AppointmentStatus
from patients.services import appointment_book

from ..models import (
    Aftercare,
    Course,
    DocumentKind,
    ReminderKind,
    ResponseReview,
    State,
    Transition,
)
from ..reasons import Reason
from ..retreatment import retreatment_window, stop_rule_refusals
from .course import course_lock, latest_session, require_state, transition_run
from .documents import document_queue
from .reminders import reminder_schedule, reminder_time, reminders_cancel, visit_reminder_time


def _follow_up_checked(follow_up_at: datetime, now: datetime) -> None:
    if follow_up_at <= now:
        raise refuse(
            Reason.FOLLOW_UP_PAST,
            "The follow-up visit must be booked in the future.",
            field="follow_up_at",
        )


def aftercare_issue(
    *,
    course: Course,
    by: User,
    issued_on: date,
    comfort_measures: str,
    follow_up_at: datetime,
    follow_up_minutes: int | None = None,
    follow_up_clinician: User | None = None,
    now: datetime | None = None,
) -> Aftercare:
    """Record step 4: the clinic's instructions given to the patient and the follow-up booked
    (for the clinic's follow-up length unless `follow_up_minutes` says otherwise), with
    `follow_up_clinician` if given (refused like any booking when they are busy then). The
    aftercare PDF is made after the commit (services/documents.py)."""
    require(by, Action.ISSUE_AFTERCARE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.POST_CARE)
        session = latest_session(locked)
        if hasattr(session, "aftercare"):
            raise refuse(
                Reason.AFTERCARE_ALREADY_ISSUED,
                "Aftercare for this session has already been issued.",
            )
        if issued_on < session.session_date:
            raise refuse(
                Reason.AFTERCARE_BEFORE_SESSION,
                "Aftercare cannot be issued before the session it follows.",
                field="issued_on",
            )
        _follow_up_checked(follow_up_at, now)
        if timezone.localdate(follow_up_at) <= session.session_date:
            raise refuse(
                Reason.FOLLOW_UP_NOT_AFTER_SESSION,
                "The follow-up visit must be after the session date.",
                field="follow_up_at",
            )
        cfg = locked.clinic_settings
        follow_up = appointment_book(
            patient=locked.patient,
            by=by,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=follow_up_at,
            minutes=follow_up_minutes or cfg.follow_up_minutes,
            clinician=follow_up_clinician,
        )
        aftercare = Aftercare.objects.create(
            course=locked,
            session=session,
            issued_on=issued_on,
            issued_by=by,
            comfort_measures=comfort_measures,
            instructions=cfg.aftercare_instructions,
            follow_up=follow_up,
            recorded_at=now,
        )
        log_action(
            "aftercare.issued",
            user=by,
            patient=locked.patient,
            target=aftercare,
            data={"issued_on": issued_on, "session": session.pk, "follow_up": follow_up.pk},
        )
        # Issued aftercare is final: its PDF is rendered once, after the commit.
        document_queue(kind=DocumentKind.AFTERCARE, pk=aftercare.pk)
        return aftercare


def aftercare_follow_up_rebook(
    *,
    course: Course,
    by: User,
    follow_up_at: datetime,
    follow_up_minutes: int | None = None,
    follow_up_clinician: User | None = None,
    now: datetime | None = None,
) -> Aftercare:
    """Book a new follow-up for the last session's aftercare when the first one was
    cancelled or missed, so the course can go on to maintenance."""
    require(by, Action.ISSUE_AFTERCARE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.POST_CARE)
        session = latest_session(locked)
        aftercare = locked.latest_aftercare
        if aftercare is None or aftercare.session_id != session.pk:
            raise refuse(Reason.AFTERCARE_NOT_ISSUED, "Issue the aftercare for this session first.")
        if (
            aftercare.follow_up is not None
            and aftercare.follow_up.status == AppointmentStatus.BOOKED
        ):
            raise refuse(Reason.FOLLOW_UP_ALREADY_BOOKED, "A follow-up visit is already booked.")
        _follow_up_checked(follow_up_at, now)
        earlier = aftercare.follow_up_id
        aftercare.follow_up = appointment_book(
            patient=locked.patient,
            by=by,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=follow_up_at,
            minutes=follow_up_minutes or locked.clinic_settings.follow_up_minutes,
            clinician=follow_up_clinician,
        )
        aftercare.save(update_fields=["follow_up"])
        log_action(
            "aftercare.follow_up_rebooked",
            user=by,
            patient=locked.patient,
            target=aftercare,
            data={"follow_up": [earlier, aftercare.follow_up_id]},
        )
        return aftercare


def course_maintenance_start(*, course: Course, by: User, now: datetime | None = None) -> Course:
    """Step 5: and in the same transaction, the reminders this cycle will need."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        transition_run(locked, Transition.START_MAINTENANCE, by=by, now=now)
        session = latest_session(locked)
        aftercare = locked.latest_aftercare
        cfg = locked.clinic_settings
        opens, _due = retreatment_window(session.session_date, cfg)
        reminder_schedule(
            course=locked,
            kind=ReminderKind.RETREATMENT_DUE,
            due_at=reminder_time(opens, cfg),
            key=f"retreatment:{session.pk}",
            now=now,
        )
        follow_up = aftercare.follow_up if aftercare is not None else None
        if follow_up is not None:
            reminder_schedule(
                course=locked,
                kind=ReminderKind.FOLLOW_UP,
                appointment=follow_up,
                due_at=visit_reminder_time(follow_up, cfg),
                key=f"follow_up:{follow_up.pk}",
                now=now,
            )
    return locked


def response_review_record(
    *,
    course: Course,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None = None,
    override_reason: str = "",
    stop_rule_met: bool = False,
    stop_rule_why: str = "",
    stop_rule_reason: str = "",
    now: datetime | None = None,
) -> ResponseReview:
    """Review the last cycle's response while the course waits for its next session (after a
    consent renewal, the review is recorded here rather than on the way out of maintenance).
    The stop rule as in `retreatment_start`."""
    require(by, Action.START_RETREATMENT)
    raise_if(
        stop_rule_refusals(stop_rule_met=stop_rule_met, why=stop_rule_why, reason=stop_rule_reason),
        summary="The stop rule is met.",
    )
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.INJECTION)
        return _review_create(
            locked,
            by=by,
            reviewed_on=reviewed_on,
            notes=notes,
            headache_days_per_month=headache_days_per_month,
            override_reason=override_reason,
            stop_rule_met=stop_rule_met,
            stop_rule_reason=stop_rule_reason,
            now=now or timezone.now(),
        )


def _review_create(
    course: Course,
    *,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None,
    override_reason: str,
    now: datetime,
    stop_rule_met: bool = False,
    stop_rule_reason: str = "",
) -> ResponseReview:
    session = latest_session(course)
    if reviewed_on < session.session_date:
        raise refuse(
            Reason.REVIEW_BEFORE_SESSION,
            "The review cannot be dated before the session it reviews.",
            field="reviewed_on",
        )
    review = ResponseReview.objects.create(
        course=course,
        session=session,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        headache_days_per_month=headache_days_per_month,
        notes=notes,
        override_reason=override_reason.strip(),
        stop_rule_met=stop_rule_met,
        stop_rule_reason=stop_rule_reason.strip() if stop_rule_met else "",
        recorded_at=now,
    )
    log_action(
        "response_review.recorded",
        user=by,
        patient=course.patient,
        target=review,
        data={
            "reviewed_on": reviewed_on,
            "session": session.pk,
            "headache_days_per_month": headache_days_per_month,
            "override_reason": review.override_reason,
            "stop_rule_met": review.stop_rule_met,
            "stop_rule_reason": review.stop_rule_reason,
        },
    )
    return review


def retreatment_start(
    *,
    course: Course,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None = None,
    override_reason: str = "",
    stop_rule_met: bool = False,
    stop_rule_why: str = "",
    stop_rule_reason: str = "",
    now: datetime | None = None,
) -> ResponseReview:
    """Review the last cycle's response and open a new cycle (back to step 3).

    `stop_rule_met` (and `stop_rule_why`, the figures behind it) is the diary's stop rule as
    the caller judged it: when met, `stop_rule_reason` must give the clinician's reason to
    continue, or `DomainError` (STOP_RULE_NEEDS_REASON) is raised and nothing changes."""
    require(by, Action.START_RETREATMENT)
    raise_if(
        stop_rule_refusals(stop_rule_met=stop_rule_met, why=stop_rule_why, reason=stop_rule_reason),
        summary="The stop rule is met.",
    )
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.MAINTENANCE)
        review = _review_create(
            locked,
            by=by,
            reviewed_on=reviewed_on,
            notes=notes,
            headache_days_per_month=headache_days_per_month,
            override_reason=override_reason,
            stop_rule_met=stop_rule_met,
            stop_rule_reason=stop_rule_reason,
            now=now,
        )
        transition_run(locked, Transition.START_RETREATMENT, by=by, now=now, reason=override_reason)
        reminders_cancel(course=locked, now=now, kinds=[ReminderKind.RETREATMENT_DUE])
    return review
