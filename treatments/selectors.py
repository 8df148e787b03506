"""Reads of the pathway: the current course with every record the page and the guards need."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from botoxcare.models import Clinic
from patients.models import Patient

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
        if p.review_flags:
            cleared = f"cleared by {p.flags_cleared_by}" if p.flags_cleared_by else "not cleared"
            details.append(f"Flagged: {', '.join(p.review_flags)} ({cleared})")
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
    method: str  # "get" opens a form, "post" takes the step at once
    permitted: bool
    blockers: list[str]
    style: str = "primary"
    name: str = ""


def course_actions(course: Course | None, *, can: dict[str, bool], today: date) -> list[StepAction]:
    """What the patient page offers at the course's step, each with the reasons it must wait."""
    from . import pathway

    if course is None or course.state == State.DISCONTINUED:
        return [
            StepAction(
                "Start a new treatment course",
                "treatments:course-start",
                "post",
                can["start_course"],
                [],
                name="start_course",
            )
        ]
    course.judged_on = today
    cfg = course.clinic_settings
    consent_now = pathway.consent_problem(course.latest_consent, today, cfg.consent_valid_days)
    actions: list[StepAction] = []
    if course.state == State.CONSULTATION:
        actions += [
            StepAction(
                "Record consultation",
                "treatments:consultation",
                "get",
                can["record_consultation"],
                [],
                "secondary",
            ),
            StepAction(
                "Complete evaluation",
                "treatments:step",
                "post",
                can["complete_evaluation"],
                course.blockers("complete_evaluation"),
                name="complete_evaluation",
            ),
        ]
        if not course.blockers("decline"):
            actions.append(
                StepAction(
                    "Patient declines treatment",
                    "treatments:step",
                    "post",
                    can["complete_evaluation"],
                    [],
                    "danger",
                    name="decline",
                )
            )
    elif course.state == State.CONSENT:
        actions += [
            StepAction(
                "Record signed consent",
                "treatments:consent",
                "get",
                can["record_consent"],
                [],
                "secondary",
            ),
            StepAction(
                "Record preparation review",
                "treatments:preparation",
                "get",
                can["record_preparation"],
                [],
                "secondary",
            ),
            StepAction(
                "Confirm ready for injection",
                "treatments:step",
                "post",
                can["record_consent"],
                course.blockers("record_consent"),
                name="record_consent",
            ),
        ]
    elif course.state == State.INJECTION:
        actions.append(
            StepAction(
                "Record injection session",
                "treatments:injection",
                "get",
                can["record_injection"],
                [consent_now] if consent_now else [],
            )
        )
    elif course.state == State.POST_CARE:
        session = course.latest_session
        issued = session is not None and any(
            a.session_id == session.pk for a in course.aftercares.all()
        )
        if not issued:
            actions.append(
                StepAction(
                    "Issue aftercare and book follow-up",
                    "treatments:aftercare",
                    "get",
                    can["issue_aftercare"],
                    [],
                    "secondary",
                )
            )
        actions.append(
            StepAction(
                "Start maintenance",
                "treatments:maintenance",
                "post",
                can["start_maintenance"],
                course.blockers("start_maintenance"),
            )
        )
    elif course.state == State.MAINTENANCE:
        waiting = [
            b
            for b in course.blockers("start_retreatment")
            if "not reviewed" not in b and "window opens" not in b
        ]
        actions += [
            StepAction(
                "Review response and start re-treatment",
                "treatments:retreatment",
                "get",
                can["start_retreatment"],
                waiting,
            ),
            StepAction(
                "Renew consent",
                "treatments:step",
                "post",
                can["renew_consent"],
                [],
                "secondary",
                name="renew_consent",
            ),
        ]
    actions.append(
        StepAction(
            "Discontinue course", "treatments:discontinue", "get", can["discontinue"], [], "danger"
        )
    )
    return actions
