"""Reads of the pathway: the current course with every record the page and the guards need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from botoxcare.models import Clinic
from botoxcare.roles import MATRIX, Action
from patients.models import Patient

from . import pathway
from .models import (
    Aftercare,
    Consent,
    Consultation,
    Course,
    CourseTransition,
    InjectionSession,
    PreparationReview,
    ProductLot,
    ResponseReview,
    State,
)


def course_current(*, patient: Patient) -> Course | None:
    """The patient's latest course, with its records prefetched (a fixed number of queries)."""
    return (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related(
            Prefetch("consultations", Consultation.objects.select_related("clinician")),
            Prefetch("consents", Consent.objects.select_related("recorded_by")),
            Prefetch(
                "preparations",
                PreparationReview.objects.select_related("reviewed_by", "flags_cleared_by"),
            ),
            Prefetch(
                "sessions",
                InjectionSession.objects.select_related("lot", "clinician").prefetch_related(
                    "sites"
                ),
            ),
            Prefetch("aftercares", Aftercare.objects.select_related("follow_up", "issued_by")),
            Prefetch("reviews", ResponseReview.objects.select_related("reviewed_by")),
            Prefetch("transitions", CourseTransition.objects.select_related("by")),
        )
        .order_by("-started_on", "-id")
        .first()
    )


def courses_earlier(*, patient: Patient, current: Course | None) -> QuerySet[Course]:
    qs = Course.objects.filter(patient=patient)
    if current is not None:
        qs = qs.exclude(pk=current.pk)
    return qs.order_by("-started_on")


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime
    title: str
    by: Any
    details: list[str]
    kind: str
    recorded_at: datetime

    @property
    def sort_key(self) -> tuple[date, datetime]:
        """By the date of care, then in the order things were entered that day."""
        day = timezone.localdate(self.when) if isinstance(self.when, datetime) else self.when
        return (day, self.recorded_at)


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _or_unrecorded(value: object) -> str:
    return "not recorded" if value is None or value == "" else str(value)


def course_timeline(course: Course) -> list[TimelineEntry]:
    """Everything recorded on a course and every transition, oldest first."""
    entries: list[TimelineEntry] = []
    for c in course.consultations.all():
        entries.append(
            TimelineEntry(
                c.seen_on,
                "Consultation",
                c.clinician,
                [
                    f"Decision: {c.get_decision_display()}",
                    f"Chronic migraine confirmed: {_yes_no(c.chronic_migraine_confirmed)}",
                    f"Headache days/month: {_or_unrecorded(c.headache_days_per_month)}",
                    f"Failed preventives: {c.failed_preventives_count}",
                    f"Medication overuse: {_or_unrecorded(c.get_medication_overuse_display())}",
                    f"Benefits and risks discussed: {_yes_no(c.benefits_risks_discussed)}",
                ],
                "record",
                c.recorded_at,
            )
        )
    for consent in course.consents.all():
        details = [
            f"Signed by {consent.signer_name} ({consent.get_method_display().lower()})",
            f"Form version {consent.form_id}, text hash {consent.text_sha256[:12]}…",
        ]
        if consent.withdrawn_on:
            details.append(f"Withdrawn on {consent.withdrawn_on:%d %b %Y}")
        entries.append(
            TimelineEntry(
                consent.signed_on,
                "Consent signed",
                consent.recorded_by,
                details,
                "record",
                consent.recorded_at,
            )
        )
    for p in course.preparations.all():
        details = [f"Advice: {p.advice}"]
        if p.current_medicines:
            details.append(f"Current medicines: {p.current_medicines}")
        if p.bleeding_risks:
            details.append(f"Bleeding risk: {', '.join(p.bleeding_risks)}")
        if p.review_flags:
            who = p.flags_cleared_by
            cleared = f"cleared by {who.get_full_name() or who}" if who else "not cleared"
            details.append(f"Flagged for review: {', '.join(p.review_flags)} ({cleared})")
        entries.append(
            TimelineEntry(
                p.reviewed_on, "Preparation review", p.reviewed_by, details, "record", p.recorded_at
            )
        )
    for s in course.sessions.all():
        entries.append(
            TimelineEntry(
                s.session_date,
                "Injection session",
                s.clinician,
                [
                    f"{s.total_units} units in {s.sites_count} sites",
                    f"Lot {s.lot.lot_number}, expiry {s.lot.expiry_date:%d %b %Y}",
                    f"{s.vial_units} U vial in {s.diluent_ml} mL saline; "
                    f"{s.units_discarded} U discarded",
                    *([f"Tolerability: {s.tolerability}"] if s.tolerability else []),
                ],
                "record",
                s.recorded_at,
            )
        )
    for a in course.aftercares.all():
        follow = (
            f"Follow-up booked for {timezone.localtime(a.follow_up.starts_at):%d %b %Y %H:%M}"
            if a.follow_up
            else "No follow-up booked"
        )
        entries.append(
            TimelineEntry(
                a.issued_on,
                "Aftercare issued",
                a.issued_by,
                [follow, *([a.comfort_measures] if a.comfort_measures else [])],
                "record",
                a.recorded_at,
            )
        )
    for r in course.reviews.all():
        details = [r.notes]
        if r.headache_days_per_month is not None:
            details.append(f"Headache days/month: {r.headache_days_per_month}")
        if r.override_reason:
            details.append(f"Early re-treatment: {r.override_reason}")
        entries.append(
            TimelineEntry(
                r.reviewed_on, "Response review", r.reviewed_by, details, "record", r.recorded_at
            )
        )
    for t in course.transitions.all():
        entries.append(
            TimelineEntry(
                t.at,
                f"{State(t.source).label} → {State(t.target).label}",
                t.by,
                [t.reason] if t.reason else [],
                "transition",
                t.at,
            )
        )
    return sorted(entries, key=lambda e: e.sort_key)


def lots_usable(*, clinic: Clinic, on: date) -> QuerySet[ProductLot]:
    return ProductLot.objects.filter(clinic=clinic, expiry_date__gt=on).order_by("expiry_date")


@dataclass(frozen=True)
class StepAction:
    """One thing that can be done on the patient page now, and what it waits for."""

    label: str
    url_name: str
    method: str  # "get" opens a form (or a confirmation), "post" takes the step at once
    action: Action
    permitted: bool
    blockers: list[str] = field(default_factory=list)
    style: str = "primary"
    name: str = ""  # the transition, for the generic step URL
    done: str = ""  # what is already on file, e.g. "Signed 24 Nov 2026"

    @property
    def needs(self) -> str:
        """Who may do it, for the note beside a button the user's role cannot press."""
        roles = sorted(role.value for role in MATRIX[self.action][0])
        names = [f"a {r}" if r != "admin" else "an admin" for r in roles]
        return " or ".join(names)


def course_actions(course: Course | None, *, can: dict[str, bool], today: date) -> list[StepAction]:
    """What the patient page offers at the course's step, each with the reasons it must wait."""

    def act(label: str, url_name: str, method: str, action: Action, **kw: Any) -> StepAction:
        return StepAction(label, url_name, method, action, can[action.value], **kw)

    if course is None or course.state == State.DISCONTINUED:
        return [
            act(
                "Start a new treatment course",
                "treatments:course-start",
                "post",
                Action.START_COURSE,
            )
        ]
    course.judged_on = today
    cfg = course.clinic_settings
    consent = course.latest_consent
    consent_now = pathway.consent_problem(consent, today, cfg.consent_valid_days)
    actions: list[StepAction] = []
    if course.state == State.CONSULTATION:
        seen = course.latest_consultation
        actions += [
            act(
                "Record consultation",
                "treatments:consultation",
                "get",
                Action.RECORD_CONSULTATION,
                style="secondary",
                done=f"Seen {pathway.day(seen.seen_on)}" if seen else "",
            ),
            act(
                "Complete evaluation",
                "treatments:step",
                "post",
                Action.COMPLETE_EVALUATION,
                blockers=course.blockers("complete_evaluation"),
                name="complete_evaluation",
            ),
        ]
        if not course.blockers("decline"):
            actions.append(
                act(
                    "Patient declines treatment",
                    "treatments:step",
                    "get",
                    Action.COMPLETE_EVALUATION,
                    style="danger",
                    name="decline",
                )
            )
    elif course.state == State.CONSENT:
        prep = course.latest_preparation
        renewed = course.consent_renewed_at
        consent_ok = consent and not (renewed and consent.recorded_at < renewed)
        prep_ok = prep and not (renewed and prep.recorded_at < renewed)
        actions += [
            act(
                "Record signed consent",
                "treatments:consent",
                "get",
                Action.RECORD_CONSENT,
                style="secondary",
                done=f"Signed {pathway.day(consent.signed_on)}" if consent and consent_ok else "",
            ),
            act(
                "Record preparation review",
                "treatments:preparation",
                "get",
                Action.RECORD_PREPARATION,
                style="secondary",
                done=f"Reviewed {pathway.day(prep.reviewed_on)}" if prep and prep_ok else "",
            ),
            act(
                "Confirm ready for injection",
                "treatments:step",
                "post",
                Action.RECORD_CONSENT,
                blockers=course.blockers("record_consent"),
                name="record_consent",
            ),
        ]
    elif course.state == State.INJECTION:
        waiting = [consent_now] if consent_now else []
        session = course.latest_session
        review = course.latest_review
        if session is not None and (review is None or review.session_id != session.pk):
            waiting.append(
                f"The response to the session of {pathway.day(session.session_date)} "
                "is not reviewed."
            )
            actions.append(
                act(
                    "Review response",
                    "treatments:review",
                    "get",
                    Action.START_RETREATMENT,
                    style="secondary",
                )
            )
        actions.append(
            act(
                "Record injection session",
                "treatments:injection",
                "get",
                Action.RECORD_INJECTION,
                blockers=waiting,
            )
        )
    elif course.state == State.POST_CARE:
        session = course.latest_session
        aftercare = next(
            (a for a in course.aftercares.all() if session and a.session_id == session.pk), None
        )
        if aftercare is None:
            actions.append(
                act(
                    "Issue aftercare and book follow-up",
                    "treatments:aftercare",
                    "get",
                    Action.ISSUE_AFTERCARE,
                    style="secondary",
                )
            )
        elif aftercare.follow_up is None or aftercare.follow_up.status != "booked":
            actions.append(
                act(
                    "Book a new follow-up visit",
                    "treatments:follow-up",
                    "get",
                    Action.ISSUE_AFTERCARE,
                    style="secondary",
                )
            )
        actions.append(
            act(
                "Start maintenance",
                "treatments:maintenance",
                "post",
                Action.START_MAINTENANCE,
                blockers=course.blockers("start_maintenance"),
            )
        )
    elif course.state == State.MAINTENANCE:
        waiting = [
            b
            for b in course.blockers("start_retreatment")
            if "not reviewed" not in b and "window opens" not in b
        ]
        actions += [
            act(
                "Review response and start re-treatment",
                "treatments:retreatment",
                "get",
                Action.START_RETREATMENT,
                blockers=waiting,
            ),
            act(
                "Renew consent",
                "treatments:step",
                "get",
                Action.RENEW_CONSENT,
                style="secondary",
                name="renew_consent",
            ),
        ]
    actions.append(
        act(
            "Discontinue course",
            "treatments:discontinue",
            "get",
            Action.DISCONTINUE,
            style="danger",
        )
    )
    return actions
