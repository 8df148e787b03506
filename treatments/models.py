"""The treatment pathway and the records that prove each of its steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import cast

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition

from botoxcare.models import ClinicSettings
from patients.models import Appointment, Patient

from . import pathway


class State(models.TextChoices):
    CONSULTATION = "consultation", "1 · Consultation and evaluation"
    CONSENT = "consent", "2 · Preparing for treatment"
    INJECTION = "injection", "3 · Ready for injection"
    POST_CARE = "post_care", "4 · Post-treatment care"
    MAINTENANCE = "maintenance", "5 · Monitoring and maintenance"
    DISCONTINUED = "discontinued", "Discontinued"


class DiscontinueReason(models.TextChoices):
    STOP_RULE = "stop_rule", "Stop rule met (insufficient response or now episodic)"
    PATIENT_CHOICE = "patient_choice", "Patient's choice"
    ADVERSE_EVENT = "adverse_event", "Adverse event"
    OTHER = "other", "Other"


# Conditions read the records through Course.blockers(); each name says what it proves.
def _blocked(course: models.Model, name: str) -> bool:
    return bool(cast("Course", course).blockers(name))


def evaluation_complete(course: models.Model) -> bool:
    return not _blocked(course, "complete_evaluation")


def patient_declined(course: models.Model) -> bool:
    return not _blocked(course, "decline")


def consent_and_preparation_in_place(course: models.Model) -> bool:
    return not _blocked(course, "record_consent")


def session_recorded_within_limits(course: models.Model) -> bool:
    return not _blocked(course, "record_injection")


def aftercare_issued_and_follow_up_booked(course: models.Model) -> bool:
    return not _blocked(course, "start_maintenance")


def retreatment_window_open(course: models.Model) -> bool:
    return not _blocked(course, "start_retreatment")


def reason_given(course: models.Model) -> bool:
    return not _blocked(course, "discontinue")


ACTIVE_STATES = [s for s in State.values if s != State.DISCONTINUED]


class Course(FSMModelMixin, models.Model):
    """One treatment course of one patient; `state` changes only through its transitions."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="courses")
    state = FSMField(default=State.CONSULTATION, choices=State.choices, protected=True)
    started_on = models.DateField()
    discontinue_reason = models.CharField(
        max_length=20, choices=DiscontinueReason.choices, blank=True
    )
    discontinue_detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # The date guards are judged on; set by the service that runs a transition.
    judged_on: date | None = None

    class Meta:
        ordering = ["-started_on", "-id"]
        indexes = [
            models.Index(fields=["state"]),
            # The patient list's "current course" subquery reads this index alone, so
            # filtering the list by step does not read every course (see docs/PERFORMANCE.md).
            models.Index(
                fields=["patient", "-started_on", "-id", "state"], name="course_current_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"Course {self.pk} of patient {self.patient_id}"

    # --- the machine -------------------------------------------------------------------
    @transition(
        field=state,
        source=State.CONSULTATION,
        target=State.CONSENT,
        conditions=[evaluation_complete],
    )
    def complete_evaluation(self) -> None:
        """Step 1 done: eligible, informed, and both agree to proceed."""

    @transition(
        field=state,
        source=State.CONSULTATION,
        target=State.DISCONTINUED,
        conditions=[patient_declined],
    )
    def decline(self) -> None:
        self.discontinue_reason = DiscontinueReason.PATIENT_CHOICE

    @transition(
        field=state,
        source=State.CONSENT,
        target=State.INJECTION,
        conditions=[consent_and_preparation_in_place],
    )
    def record_consent(self) -> None:
        """Step 2 done: signed consent and preparation advice on file."""

    @transition(
        field=state,
        source=State.INJECTION,
        target=State.POST_CARE,
        conditions=[session_recorded_within_limits],
    )
    def record_injection(self) -> None:
        """Step 3 done: a session within the protocol's limits on a valid consent."""

    @transition(
        field=state,
        source=State.POST_CARE,
        target=State.MAINTENANCE,
        conditions=[aftercare_issued_and_follow_up_booked],
    )
    def start_maintenance(self) -> None:
        """Step 4 done: aftercare given and follow-up booked."""

    @transition(
        field=state,
        source=State.MAINTENANCE,
        target=State.INJECTION,
        conditions=[retreatment_window_open],
    )
    def start_retreatment(self) -> None:
        """A new cycle: the response was reviewed and the window is open (or overridden)."""

    @transition(field=state, source=State.MAINTENANCE, target=State.CONSENT)
    def renew_consent(self) -> None:
        """Back to step 2 for a fresh consent before the next cycle."""

    @transition(
        field=state, source=ACTIVE_STATES, target=State.DISCONTINUED, conditions=[reason_given]
    )
    def discontinue(self) -> None:
        """Stop the course; the reason was set by the caller."""

    # --- the facts the guards read ------------------------------------------------------
    @property
    def clinic_settings(self) -> ClinicSettings:
        return self.patient.clinic.settings

    @property
    def latest_consultation(self) -> Consultation | None:
        return max(self.consultations.all(), key=lambda c: (c.seen_on, c.pk), default=None)

    @property
    def latest_consent(self) -> Consent | None:
        return max(self.consents.all(), key=lambda c: (c.signed_on, c.pk), default=None)

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
        renewals = [t.at for t in self.transitions.all() if t.name == "renew_consent"]
        return max(renewals, default=None)

    @property
    def retreatment_dates(self) -> tuple[date, date] | None:
        """(window opens, due) after the last session, or None before any session."""
        session = self.latest_session
        if session is None:
            return None
        return pathway.retreatment_window(session.session_date, self.clinic_settings)

    def blockers(self, name: str) -> list[str]:
        """Why the transition `name` cannot happen now; empty when it may."""
        today = self.judged_on or timezone.localdate()
        cfg = self.clinic_settings
        if name == "complete_evaluation":
            return pathway.evaluation_blockers(self.latest_consultation, cfg)
        if name == "decline":
            return pathway.decline_blockers(self.latest_consultation)
        if name == "record_consent":
            return pathway.consent_blockers(
                self.latest_consent, self.latest_preparation, today, cfg, self.consent_renewed_at
            )
        if name == "record_injection":
            # In the order recorded: the last one is the session being judged.
            sessions = sorted(self.sessions.all(), key=lambda s: s.pk)
            return pathway.injection_blockers(
                sessions[-1] if sessions else None,
                self.latest_consent,
                today,
                cfg,
                previous=sessions[-2] if len(sessions) > 1 else None,
                review=self.latest_review,
            )
        if name == "start_maintenance":
            return pathway.maintenance_blockers(self.latest_session, self.latest_aftercare)
        if name == "start_retreatment":
            return pathway.retreatment_blockers(
                self.latest_session, self.latest_review, self.latest_consent, today, cfg
            )
        if name == "discontinue":
            return pathway.discontinue_blockers(self.discontinue_reason)
        if name == "renew_consent":
            return []
        raise ValueError(f"unknown transition {name!r}")


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


class MedicationOveruse(models.TextChoices):
    NONE = "none", "No medication overuse"
    MANAGED = "managed", "Overuse present, being managed"
    PRESENT = "present", "Overuse present, not yet managed"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Agreed to proceed with treatment"
    DECLINE = "decline", "Patient declines treatment"
    UNDECIDED = "undecided", "Undecided, to be discussed again"


class Consultation(models.Model):
    """Step 1: history, evaluation, discussion and decision."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="consultations")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    seen_on = models.DateField()
    history = models.TextField(help_text="Headache history and relevant medical history.")
    previous_preventives = models.TextField(
        help_text="Preventive treatments tried, with dose, duration and why stopped."
    )
    failed_preventives_count = models.PositiveSmallIntegerField(default=0)
    headache_days_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    migraine_days_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    chronic_migraine_confirmed = models.BooleanField(default=False)
    benefits_risks_discussed = models.BooleanField(default=False)
    medication_overuse = models.CharField(
        max_length=10, choices=MedicationOveruse.choices, blank=True
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.UNDECIDED)
    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Consultation on {self.seen_on}"


class ConsentForm(models.Model):
    """The clinic's consent text, versioned; a signed Consent keeps the text it was given."""

    clinic = models.ForeignKey("botoxcare.Clinic", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "version"], name="consent_form_version"),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Signed on paper, recorded by staff"
    ELECTRONIC = "electronic", "Signed electronically by the patient"


class Consent(models.Model):
    """One signed copy of a consent form: immutable except for its withdrawal."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="consents")
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="consents")
    text = models.TextField(help_text="The exact text the patient consented to.")
    text_sha256 = models.CharField(max_length=64)
    signer_name = models.CharField(max_length=200)
    signed_on = models.DateField()
    method = models.CharField(max_length=12, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Consent signed {self.signed_on}"


BLEEDING_RISKS = {
    "anticoagulants": "anticoagulants",
    "antiplatelets": "antiplatelets",
    "bleeding_supplements": "supplements that increase bleeding",
}

PREPARATION_FLAGS = {
    "aminoglycosides": "aminoglycoside antibiotics",
    "neuromuscular_blockers": "other neuromuscular-blocking agents",
    "anticholinergics": "anticholinergics",
    "muscle_relaxants": "muscle relaxants",
    "recent_toxin": "another botulinum toxin in the last 4 months",
}


class PreparationReview(models.Model):
    """Step 2: medicines reviewed, interactions flagged, advice given."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="preparations")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    current_medicines = models.TextField(blank=True)
    anticoagulants = models.BooleanField("Takes anticoagulants", default=False)
    antiplatelets = models.BooleanField("Takes antiplatelets", default=False)
    bleeding_supplements = models.BooleanField(
        "Takes supplements that increase bruising or bleeding", default=False
    )
    aminoglycosides = models.BooleanField("Aminoglycoside antibiotics", default=False)
    neuromuscular_blockers = models.BooleanField(
        "Other neuromuscular-blocking agents", default=False
    )
    anticholinergics = models.BooleanField("Anticholinergics", default=False)
    muscle_relaxants = models.BooleanField("Muscle relaxants", default=False)
    recent_toxin = models.BooleanField("Botulinum toxin in the last 4 months", default=False)
    advice = models.TextField(help_text="What the patient was advised to pause or continue.")
    flags_cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Preparation review on {self.reviewed_on}"

    @property
    def bleeding_risks(self) -> list[str]:
        """Recorded so the injector can expect bruising; they do not block treatment."""
        return [label for field, label in BLEEDING_RISKS.items() if getattr(self, field)]

    @property
    def review_flags(self) -> list[str]:
        """Medicines that need a clinician's review before injecting."""
        return [label for field, label in PREPARATION_FLAGS.items() if getattr(self, field)]


class ProductLot(models.Model):
    clinic = models.ForeignKey("botoxcare.Clinic", on_delete=models.PROTECT, related_name="lots")
    product = models.CharField(max_length=100, default="onabotulinumtoxinA (Botox)")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField()
    vial_units = models.PositiveSmallIntegerField(choices=[(100, "100 units"), (200, "200 units")])
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "lot_number"], name="lot_number_in_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number} (exp. {self.expiry_date:%d %b %Y}, {self.vial_units} U)"


class InjectionSession(models.Model):
    """Step 3: one session, the anchor date of a cycle."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    session_date = models.DateField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="sessions")
    vial_units = models.PositiveSmallIntegerField()
    diluent_ml = models.DecimalField(max_digits=4, decimal_places=1)
    units_discarded = models.PositiveSmallIntegerField(default=0)
    tolerability = models.TextField(blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["session_date", "id"]

    def __str__(self) -> str:
        return f"Injection session on {self.session_date}"

    @property
    def total_units(self) -> int:
        return sum(s.units for s in self.sites.all())

    @property
    def sites_count(self) -> int:
        return sum(s.sites for s in self.sites.all())


class InjectionSite(models.Model):
    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="sites")
    muscle = models.CharField(max_length=40)
    sites = models.PositiveSmallIntegerField()
    units = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "muscle"], name="one_row_per_muscle"),
        ]

    def __str__(self) -> str:
        return f"{self.muscle}: {self.units} U in {self.sites} sites"


class Aftercare(models.Model):
    """Step 4: comfort measures, written instructions issued, follow-up booked."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="aftercares")
    session = models.OneToOneField(
        InjectionSession, on_delete=models.CASCADE, related_name="aftercare"
    )
    issued_on = models.DateField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    comfort_measures = models.TextField(blank=True)
    instructions = models.TextField(help_text="The instructions as the patient received them.")
    follow_up = models.ForeignKey(
        Appointment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Aftercare issued {self.issued_on}"


class ResponseReview(models.Model):
    """The clinician's review of a cycle's response before the next one."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews")
    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    headache_days_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    notes = models.TextField()
    override_reason = models.TextField(
        blank=True, help_text="Why re-treatment starts before the window opens, if it does."
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Response review on {self.reviewed_on}"


class ReminderKind(models.TextChoices):
    RETREATMENT_DUE = "retreatment_due", "Re-treatment due"
    FOLLOW_UP = "follow_up", "Follow-up visit"


class Reminder(models.Model):
    """A message due at a time, sent once; swept by beat (never a long Celery countdown)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    appointment = models.ForeignKey(
        Appointment,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reminders",
        help_text="The visit a follow-up reminder is about; not sent if it is no longer booked.",
    )
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    key = models.CharField(max_length=100, unique=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "cancelled_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} due {self.due_at}"
