"""The patient page's timeline: every record, transition and document of a course as lines a
clinician reads, in the order they happened (the page shows them newest first by default, see
timeline_view)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from treatments.models import Consent, Course, Document, State
from treatments.pathway import day
from treatments.start_rule import failed_preventive_count

from .amendments import with_amendments

# The kinds of event, in the order the filter offers them: one table for the entries, the
# filter's links and its labels. Messages join as a kind when patient-clinic threads exist.
VISIT, TRANSITION, DOCUMENT = "visit", "transition", "document"
KINDS: dict[str, str] = {
    VISIT: "Visits",  # what was recorded at or about a visit: consultation, consent, session...
    TRANSITION: "Step changes",
    DOCUMENT: "Documents",
}


@dataclass(frozen=True)
class TimelineEntry:
    when: date | datetime  # a date of care, or the moment it happened
    title: str
    by: Any
    details: list[str]
    kind: str
    recorded_at: datetime
    url: str = ""  # a page or file the entry links to
    link: str = ""  # the link's words
    # A record of care that is amended (treatments/amendable.py): (kind, id), its amendments
    # and the link to amend it with the action that may (pages/staff/amendments.py).
    record: tuple[str, int] | None = None
    amendments: tuple[Any, ...] = ()
    amend_url: str = ""
    amend_action: str = ""

    @property
    def dated_only(self) -> bool:
        return not isinstance(self.when, datetime)

    @property
    def moment(self) -> datetime:
        """When it happened: its own moment, or for a record that carries only a date (a
        consultation, a session) the moment it was entered."""
        return self.recorded_at if not isinstance(self.when, datetime) else self.when

    @property
    def sort_key(self) -> tuple[date, datetime]:
        """By the day it happened, then within the day by its moment."""
        day = timezone.localdate(self.when) if isinstance(self.when, datetime) else self.when
        return (day, self.moment)

    @property
    def entered(self) -> str:
        """For a record with only a date: when it was entered, which places it in its day."""
        if not self.dated_only:
            return ""
        at = timezone.localtime(self.recorded_at)
        if at.date() == self.when:
            return f"entered {at:%H:%M}"
        return f"entered {day(at.date())}, {at:%H:%M}"


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _or_unrecorded(value: object) -> str:
    return "not recorded" if value is None or value == "" else str(value)


def course_timeline(course: Course, *, documents: Iterable[Document] = ()) -> list[TimelineEntry]:
    """Everything recorded on a course, every transition and the course's `documents`
    (documents_of, already read for the page), oldest first."""
    entries: list[TimelineEntry] = []
    consultations = list(course.consultations.all())
    # Read once, only when there is a consultation to count it for (the start rule's count).
    preventives = course.patient_preventives if consultations else []
    for c in consultations:
        entries.append(
            TimelineEntry(
                c.seen_on,
                "Consultation",
                c.clinician,
                [
                    f"Decision: {c.get_decision_display()}",
                    f"Chronic migraine confirmed: {_yes_no(c.chronic_migraine_confirmed)}",
                    f"Headache days/month: {_or_unrecorded(c.headache_days_per_month)}"
                    + (" (from the diary)" if c.figures_from_diary else ""),
                    f"Pattern lasting: {_or_unrecorded(c.pattern_months)}"
                    + (" months" if c.pattern_months is not None else ""),
                    f"Failed preventives: {failed_preventive_count(c, preventives)}"
                    + ("" if c.failed_preventives_count is None else " (typed, before the list)"),
                    *(
                        [f"Start rule not met; proceeding because: {c.start_rule_justification}"]
                        if c.start_rule_justification
                        else []
                    ),
                    f"Medication overuse: {_or_unrecorded(c.get_medication_overuse_display())}",
                    f"Benefits and risks discussed: {_yes_no(c.benefits_risks_discussed)}",
                ],
                VISIT,
                c.recorded_at,
                record=("consultation", c.pk),
            )
        )
    for consent in course.consents.all():
        details = [
            f"Signed by {consent.signer_name} ({consent.get_method_display().lower()})",
            f"Form version {consent.form_id}, text hash {consent.text_sha256[:12]}…",
        ]
        if consent.withdrawn_on:
            details.append(f"Withdrawn on {day(consent.withdrawn_on)}: {consent.withdrawal_reason}")
        entries.append(
            TimelineEntry(
                consent.signed_on,
                "Consent signed",
                consent.recorded_by,
                details,
                VISIT,
                consent.recorded_at,
            )
        )
        if consent.withdrawn_on and consent.withdrawn_at:
            entries.append(_withdrawal(course, consent, consent.withdrawn_on, consent.withdrawn_at))
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
                p.reviewed_on,
                "Preparation review",
                p.reviewed_by,
                details,
                VISIT,
                p.recorded_at,
                record=("preparation", p.pk),
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
                    *(
                        f"Vial {n}: lot {v.lot.lot_number} (expiry {day(v.lot.expiry_date)}), "
                        f"{v.vial_units} U in {v.diluent_ml} mL saline, reconstituted "
                        f"{timezone.localtime(v.reconstituted_at):%H:%M}; {v.units_given} U "
                        f"given, {v.units_discarded} U discarded"
                        for n, v in enumerate(s.vials.all(), 1)
                    ),
                    *([f"Tolerability: {s.tolerability}"] if s.tolerability else []),
                ],
                VISIT,
                s.recorded_at,
                url=reverse("staff:session", args=[course.patient_id, s.pk]),
                link="The whole session, printable",
                record=("session", s.pk),
            )
        )
    for a in course.aftercares.all():
        follow = (
            f"Follow-up booked for {day(timezone.localdate(a.follow_up.starts_at))}, "
            f"{timezone.localtime(a.follow_up.starts_at):%H:%M}"
            if a.follow_up
            else "No follow-up booked"
        )
        entries.append(
            TimelineEntry(
                a.issued_on,
                "Aftercare issued",
                a.issued_by,
                [follow, *([a.comfort_measures] if a.comfort_measures else [])],
                VISIT,
                a.recorded_at,
                record=("aftercare", a.pk),
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
                r.reviewed_on, "Response review", r.reviewed_by, details, VISIT, r.recorded_at
            )
        )
    for t in course.transitions.all():
        entries.append(
            TimelineEntry(
                t.at,
                f"{State(t.source).label} → {State(t.target).label}",
                t.by,
                [t.reason] if t.reason else [],
                TRANSITION,
                t.at,
            )
        )
    for d in documents:
        of = d.source_date
        entries.append(
            TimelineEntry(
                d.created_at,
                f"{d.get_kind_display()} PDF made",
                None,
                [f"Of {day(of)}"] if of else [],
                DOCUMENT,
                d.created_at,
                url=reverse("treatments:document", args=[course.patient_id, d.pk]),
                link="Download the PDF",
            )
        )
    return with_amendments(sorted(entries, key=lambda e: e.sort_key), course)


def _withdrawal(course: Course, consent: Consent, on: date, at: datetime) -> TimelineEntry:
    """The day the patient withdrew, who recorded it (or that they did so in the portal),
    when, and the reason they gave."""
    by_patient = consent.withdrawn_by_id == course.patient.user_id
    recorded = timezone.localtime(at)
    how = "In the portal, by the patient" if by_patient else "Told to the clinic"
    return TimelineEntry(
        on,
        "Consent withdrawn",
        None if by_patient else consent.withdrawn_by,
        [
            f"Reason: {consent.withdrawal_reason}",
            f"{how}; recorded {day(recorded.date())}, {recorded:%H:%M}",
            f"Of the consent signed on {day(consent.signed_on)}",
        ],
        VISIT,
        at,
    )
