"""The records that prove steps 1 and 2: consultation, consent and the preparation review."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from ..choices import BLEEDING_RISKS, PREPARATION_FLAGS, ConsentMethod, Decision, MedicationOveruse
from .course import Course


class Consultation(models.Model):
    """Step 1: history, evaluation, discussion and decision."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="consultations")
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    seen_on = models.DateField()
    history = models.TextField(help_text="Headache history and relevant medical history.")
    # Notes beside the patient's list of preventives (PreventiveTreatment), which the start
    # rule counts; before the list, the whole history was typed here.
    previous_preventives = models.TextField(
        blank=True, help_text="Anything about the preventives tried that the list does not say."
    )
    # Legacy: the typed count of failed preventives of a consultation recorded before the
    # list. None for every consultation since, whose count is the list's
    # (treatments.start_rule.failed_preventive_count reads both).
    failed_preventives_count = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why the clinician proceeds although the clinic's start rule (failed preventives) is not
    # met; kept only when it was not met as recorded. Without it, the evaluation is refused.
    start_rule_justification = models.TextField(blank=True)
    headache_days_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    migraine_days_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    # ICHD-3's "for more than 3 months": how long this pattern has lasted, as the patient says.
    pattern_months = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    # The headache, migraine and overuse figures were the diary's baseline, not typed.
    figures_from_diary = models.BooleanField(default=False)
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


DEFAULT_STATEMENTS = """\
I have read the information above about the treatment, its benefits, risks and alternatives.
I have had the chance to ask questions, and they were answered.
I understand that the full effect may take several weeks, and that it may not help me.
I know what to do if I have difficulty swallowing, breathing or speaking after the injections.
I know that I can withdraw this consent at any time without it affecting my other care.
I agree to receive the treatment described above.
"""


class ConsentForm(models.Model):
    """The clinic's consent text, versioned; a signed Consent keeps the text it was given."""

    clinic = models.ForeignKey("botoxcare.Clinic", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField(
        help_text="What the treatment is, its benefits, risks, expected outcomes and time to "
        "effect, and the alternatives."
    )
    statements = models.TextField(
        default=DEFAULT_STATEMENTS,
        help_text="What the patient confirms, one statement a line; each is ticked to sign.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clinic", "version"], name="consent_form_version"),
            # At most one active version a clinic; consent_form_activate switches it.
            models.UniqueConstraint(
                fields=["clinic"],
                condition=models.Q(is_active=True),
                name="consent_form_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def statement_list(self) -> list[str]:
        return [line.strip() for line in self.statements.splitlines() if line.strip()]


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
    # An electronic signature also keeps what was confirmed and where it was signed from.
    statements = models.JSONField(default=list, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signer_address = models.GenericIPAddressField(null=True, blank=True)
    signer_agent = models.CharField(max_length=300, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Consent signed {self.signed_on}"

    @property
    def is_electronic(self) -> bool:
        return self.method == ConsentMethod.ELECTRONIC


class ConsentRequest(models.Model):
    """A consent sent to the patient to read and sign in the portal: sent, viewed, signed (its
    `consent`), or cancelled when staff record a paper one instead."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="consent_requests")
    form = models.ForeignKey(ConsentForm, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField()
    viewed_at = models.DateTimeField(null=True, blank=True)
    consent = models.OneToOneField(
        Consent, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"Consent request {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.consent_id is None and self.cancelled_at is None


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
