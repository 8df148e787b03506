"""The treatment course and its machine: the five steps of the clinic's page."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django_fsm import FSMField, FSMModelMixin, transition

from botoxcare.errors import Refusal, raise_if
from botoxcare.models import ClinicSettings
from patients.models import Patient

from .. import dosing, pathway, retreatment
from ..choices import ACTIVE_STATES, DiscontinueReason, State, Transition

if TYPE_CHECKING:
    from .history import PreventiveTreatment
    from .records import Consent, ConsentRequest, Consultation, PreparationReview
    from .sessions import Aftercare, InjectionSession, ResponseReview

NOT_YET = "This step cannot be taken yet:"


def _check(refusals: list[Refusal]) -> None:
    """Inside a transition: refuse it (the state stays as it was) unless its guard is met."""
    raise_if(refusals, summary=NOT_YET)


class Course(FSMModelMixin, models.Model):
    """One treatment course of one patient; `state` changes only through its transitions.

    Each transition takes the date it is judged on and checks its own guard, once, before the
    state moves: a guard refused raises DomainError and nothing changes. The guards are the
    pure functions of treatments/pathway.py (and dosing.py, retreatment.py), fed the course's
    records; the pages call the same `*_refusals` methods to say what a step waits for.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="courses")
    state = FSMField(default=State.CONSULTATION, choices=State.choices, protected=True)
    started_on = models.DateField()
    discontinue_reason = models.CharField(
        max_length=20, choices=DiscontinueReason.choices, blank=True
    )
    discontinue_detail = models.TextField(blank=True)
    # Kept by record_injection, so that lists of thousands of courses (the schedules) sort and
    # count by it with an index instead of aggregating every course's sessions.
    last_session_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["state"]),
            # The patient list's "current course" subquery reads this index alone, so
            # filtering the list by step does not read every course (see docs/PERFORMANCE.md).
            models.Index(
                fields=["patient", "-started_on", "-id", "state"], name="course_current_idx"
            ),
            # The schedules' counts and sort read only this index (covering: the patient too).
            models.Index(
                fields=["state", "last_session_on", "patient"], name="course_followup_cover_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Course {self.pk} of patient {self.patient_id}"

    # --- the machine -------------------------------------------------------------------
    @transition(field=state, source=State.CONSULTATION, target=State.CONSENT)
    def complete_evaluation(self, *, today: date) -> None:
        """Step 1 done: eligible, informed, and both agree to proceed."""
        _check(self.evaluation_refusals(today))

    @transition(field=state, source=State.CONSULTATION, target=State.DISCONTINUED)
    def decline(self, *, today: date) -> None:
        """The patient declines treatment at the consultation."""
        _check(self.decline_refusals(today))
        self.discontinue_reason = DiscontinueReason.PATIENT_CHOICE

    @transition(field=state, source=State.CONSENT, target=State.INJECTION)
    def record_consent(self, *, today: date) -> None:
        """Step 2 done: signed consent and preparation advice on file."""
        _check(self.consent_refusals(today))

    @transition(field=state, source=State.INJECTION, target=State.POST_CARE)
    def record_injection(self, *, today: date) -> None:
        """Step 3 done: a session within the protocol's limits on a valid consent."""
        _check(self.injection_refusals(today))
        session = self.latest_session
        self.last_session_on = session.session_date if session else None

    @transition(field=state, source=State.POST_CARE, target=State.MAINTENANCE)
    def start_maintenance(self, *, today: date) -> None:
        """Step 4 done: aftercare given and follow-up booked."""
        _check(self.maintenance_refusals(today))

    @transition(field=state, source=State.MAINTENANCE, target=State.INJECTION)
    def start_retreatment(self, *, today: date) -> None:
        """A new cycle: the response was reviewed and the window is open (or overridden)."""
        _check(self.retreatment_refusals(today))

    @transition(field=state, source=[State.MAINTENANCE, State.INJECTION], target=State.CONSENT)
    def renew_consent(self, *, today: date) -> None:
        """Back to step 2 for a fresh consent before the next cycle: from maintenance at any
        time, from step 3 once the consent no longer covers a session or is about to expire."""
        _check(self.renewal_refusals(today))

    @transition(field=state, source=ACTIVE_STATES, target=State.DISCONTINUED)
    def discontinue(self, *, today: date, cause: str, detail: str = "") -> None:
        """Stop the course, for a reason (`cause`, a DiscontinueReason)."""
        _check(pathway.discontinue_refusals(cause))
        self.discontinue_reason = cause
        self.discontinue_detail = detail

    # --- each transition's guard, fed the records -----------------------------------------
    def evaluation_refusals(self, today: date) -> list[Refusal]:
        return pathway.evaluation_refusals(
            self.latest_consultation, self.clinic_settings, self.patient_preventives
        )

    def decline_refusals(self, today: date) -> list[Refusal]:
        return pathway.decline_refusals(self.latest_consultation)

    def consent_refusals(self, today: date) -> list[Refusal]:
        return pathway.consent_refusals(
            self.latest_consent,
            self.latest_preparation,
            today,
            self.clinic_settings,
            self.consent_renewed_at,
        )

    def injection_refusals(self, today: date) -> list[Refusal]:
        # In the order recorded: the last one is the session being judged.
        sessions = sorted(self.sessions.all(), key=lambda s: s.pk)
        return dosing.injection_refusals(
            sessions[-1] if sessions else None,
            self.latest_consent,
            today,
            self.clinic_settings,
            previous=sessions[-2] if len(sessions) > 1 else None,
            review=self.latest_review,
        )

    def maintenance_refusals(self, today: date) -> list[Refusal]:
        return pathway.maintenance_refusals(self.latest_session, self.latest_aftercare)

    def retreatment_refusals(self, today: date) -> list[Refusal]:
        return retreatment.retreatment_refusals(
            self.latest_session,
            self.latest_review,
            self.latest_consent,
            today,
            self.clinic_settings,
        )

    def renewal_refusals(self, today: date) -> list[Refusal]:
        """At step 3, a consent that still covers a session today and is not near expiry is
        not renewed (the course would wait at step 2 for nothing); from maintenance, always."""
        if self.state != State.INJECTION or not self.has_valid_consent(today):
            return []
        return pathway.renewal_refusals(self.latest_consent, today, self.clinic_settings)

    def has_valid_consent(self, today: date) -> bool:
        """A signed consent covers a session on `today`: not withdrawn by then, not expired."""
        return (
            pathway.consent_problem(
                self.latest_consent, today, self.clinic_settings.consent_valid_days
            )
            is None
        )

    def session_waits_for(self, today: date) -> list[Refusal]:
        """What a session recorded today would wait for, before it is recorded: a consent
        valid today and, from the second cycle, the last cycle's review."""
        found = [
            pathway.consent_problem(
                self.latest_consent, today, self.clinic_settings.consent_valid_days
            ),
            pathway.review_missing(self.latest_session, self.latest_review),
        ]
        return [r for r in found if r is not None]

    # --- the facts the guards read ------------------------------------------------------
    @property
    def clinic_settings(self) -> ClinicSettings:
        return self.patient.clinic.settings

    @property
    def patient_preventives(self) -> list[PreventiveTreatment]:
        """The patient's preventive history, which the start rule counts."""
        return list(self.patient.preventive_treatments.all())

    @property
    def latest_consultation(self) -> Consultation | None:
        return max(self.consultations.all(), key=lambda c: (c.seen_on, c.pk), default=None)

    @property
    def latest_consent(self) -> Consent | None:
        return max(self.consents.all(), key=lambda c: (c.signed_on, c.pk), default=None)

    @property
    def latest_consent_request(self) -> ConsentRequest | None:
        return max(self.consent_requests.all(), key=lambda r: (r.sent_at, r.pk), default=None)

    @property
    def latest_preparation(self) -> PreparationReview | None:
        return max(self.preparations.all(), key=lambda p: (p.reviewed_on, p.pk), default=None)

    @property
    def latest_session(self) -> InjectionSession | None:
        return max(self.sessions.all(), key=lambda s: (s.session_date, s.pk), default=None)

    @property
    def latest_aftercare(self) -> Aftercare | None:
        return max(self.aftercares.all(), key=lambda a: (a.issued_on, a.pk), default=None)

    @property
    def latest_review(self) -> ResponseReview | None:
        return max(self.reviews.all(), key=lambda r: (r.reviewed_on, r.pk), default=None)

    @property
    def consent_renewed_at(self) -> datetime | None:
        """When the course was last sent back for a new consent, if ever."""
        renewals = [t.at for t in self.transitions.all() if t.name == Transition.RENEW_CONSENT]
        return max(renewals, default=None)

    def retreatment_status(self, today: date) -> retreatment.RetreatmentStatus | None:
        """Where the course stands against the window after its last session, or None
        before any session (treatments.retreatment's one status rule)."""
        session = self.latest_session
        return retreatment.retreatment_status(
            session.session_date if session else None, self.clinic_settings, today
        )

    def self_booking_days(self, today: date) -> retreatment.BookingDays | None:
        """The days the patient may book their own re-treatment visit on, judged on `today`:
        in maintenance only, by treatments.retreatment's one rule (None: not offered)."""
        if self.state != State.MAINTENANCE:
            return None
        return retreatment.self_booking_days(self.retreatment_status(today), self.clinic_settings)


class CourseTransition(models.Model):
    """The log of the machine: who moved which course from where to where, when and why."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(max_length=40)
    source = models.CharField(max_length=20, choices=State.choices)
    target = models.CharField(max_length=20, choices=State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["course", "at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.source} -> {self.target}"
