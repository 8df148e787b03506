"""The headache diary: one entry a patient-day, the acute medicines taken that day from the
patient's own list, amendments of entries past the edit window; MIDAS questionnaires; the
versioned management plan. Figures are computed from these in the database (`selectors`),
judged by pure functions (`figures`), with the definitions of the clinic's `DiaryRules`."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from patients.models import Patient


class MedicineClass(models.TextChoices):
    """The classes ICHD-3's medication-overuse criteria count days of."""

    TRIPTAN = "triptan", "Triptan"
    ERGOT = "ergot", "Ergot"
    OPIOID = "opioid", "Opioid"
    COMBINATION = "combination", "Combination analgesic"
    SIMPLE = "simple", "Simple analgesic (paracetamol, aspirin, NSAID)"
    OTHER = "other", "Other"


# Counted together against `overuse_specific_days` (ICHD-3 8.2.1 to 8.2.4, and 8.2.6).
SPECIFIC_CLASSES = (
    MedicineClass.TRIPTAN,
    MedicineClass.ERGOT,
    MedicineClass.OPIOID,
    MedicineClass.COMBINATION,
)


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class ActivityEffect(models.TextChoices):
    NONE = "none", "No effect"
    REDUCED = "reduced", "Did less than usual"
    MISSED = "missed", "Missed work, school or daily activities"


class AcuteMedicine(models.Model):
    """A medicine on the patient's own list, offered on each diary day."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="acute_medicines")
    name = models.CharField(max_length=100)
    medicine_class = models.CharField(max_length=12, choices=MedicineClass.choices)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "name"], name="one_medicine_name_a_patient")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_medicine_class_display()})"


class DiaryEntry(models.Model):
    """One day of one patient's diary. `headache` False is a recorded day without headache;
    a day with no entry is not recorded."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="diary_entries")
    day = models.DateField()
    headache = models.BooleanField()
    started_at = models.TimeField(null=True, blank=True)
    duration_hours = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MaxValueValidator(24)],
        help_text="Hours of headache on this day.",
    )
    severity = models.CharField(max_length=8, choices=Severity.choices, blank=True)
    pain_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    throbbing = models.BooleanField(default=False)
    one_sided = models.BooleanField(default=False)
    worse_with_activity = models.BooleanField(default=False)
    nausea = models.BooleanField(default=False)
    light_sound_sensitivity = models.BooleanField(default=False)
    aura = models.BooleanField(default=False)
    activity_effect = models.CharField(max_length=8, choices=ActivityEffect.choices, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    # Who wrote it: the patient, or staff on the patient's behalf (then `on_behalf`).
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "day"], name="one_diary_entry_a_day"),
            models.CheckConstraint(
                condition=models.Q(headache=True)
                | models.Q(
                    severity="",
                    duration_hours__isnull=True,
                    started_at__isnull=True,
                    pain_score__isnull=True,
                ),
                name="diary_no_headache_no_details",
            ),
        ]

    def __str__(self) -> str:
        return f"diary {self.day:%Y-%m-%d}"


class DiaryEntryMedicine(models.Model):
    """An acute medicine taken on a diary day, and how many doses."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="medicines")
    medicine = models.ForeignKey(AcuteMedicine, on_delete=models.PROTECT, related_name="+")
    doses = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(20)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "medicine"], name="one_medicine_a_diary_day")
        ]

    def __str__(self) -> str:
        return f"{self.doses} x medicine {self.medicine_id}"


class DiaryAmendment(models.Model):
    """A change to an entry after the edit window: the entry as it was and as it became."""

    entry = models.ForeignKey(DiaryEntry, on_delete=models.CASCADE, related_name="amendments")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(max_length=1000)
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"amendment {self.at:%Y-%m-%d %H:%M}"


class QuestionnaireKind(models.TextChoices):
    MIDAS = "midas", "MIDAS"


class QuestionnaireResponse(models.Model):
    """One questionnaire answered (MIDAS: five day counts over the last three months), scored
    and graded when stored."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="questionnaires")
    kind = models.CharField(max_length=10, choices=QuestionnaireKind.choices)
    answered_on = models.DateField()
    answers = models.JSONField()
    score = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=4)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.answered_on:%Y-%m-%d}"


class ManagementPlan(models.Model):
    """One version of a patient's management plan; a change is a new version, the old kept."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveIntegerField()
    sleep = models.TextField(blank=True, max_length=2000)
    meals = models.TextField(blank=True, max_length=2000)
    hydration = models.TextField(blank=True, max_length=2000)
    triggers = models.TextField(blank=True, max_length=2000)
    exercise = models.TextField(blank=True, max_length=2000)
    preventives = models.TextField(blank=True, max_length=2000)
    acute_plan = models.TextField(blank=True, max_length=2000)
    # The most days a month the acute plan allows, to stay clear of overuse.
    acute_limit_days = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(31)]
    )
    other_interventions = models.TextField(blank=True, max_length=2000)
    goals = models.TextField(blank=True, max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "version"], name="one_plan_version")
        ]

    def __str__(self) -> str:
        return f"plan v{self.version}"


class DiaryStanding(models.Model):
    """A patient's diary flags as of a day, kept so that the clinic's list of flagged patients
    reads an index instead of every entry. Written only by `diary.services.standing` with the
    patient page's own judgement (`figures.diary_flags`), after each diary write and nightly
    (the periods move with the day; sessions and the clinic's rules change the flags too)."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="diary_standing"
    )
    # The patient's clinic, kept here so the list's filter and count read one index.
    clinic = models.ForeignKey(
        "botoxcare.Clinic", on_delete=models.CASCADE, related_name="diary_standings"
    )
    as_of = models.DateField(help_text="The clinic-local day the flags were judged on.")
    refreshed_at = models.DateTimeField(default=timezone.now)
    # False when the patient has no course or it is discontinued: kept, not listed.
    active = models.BooleanField(default=True)
    flagged = models.BooleanField(default=False, help_text="Any flag met.")
    # The flags met as one number (reasons.flag_rank: the weightiest highest) and the
    # patient's name folded, so the list reads its order from an index instead of sorting.
    rank = models.PositiveSmallIntegerField(default=0)
    name_key = models.CharField(max_length=202, blank=True)
    too_few_recorded = models.BooleanField(default=False)
    medication_overuse = models.BooleanField(default=False)
    chronic_migraine = models.BooleanField(default=False)
    stop_rule = models.BooleanField(default=False)
    # The sentence behind each flag met, by its code (reasons.Flag).
    why = models.JSONField(default=dict, blank=True)
    # The latest period's figures and the latest cycle's change, for the list's columns.
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    recorded_days = models.PositiveSmallIntegerField(default=0)
    headache_days = models.PositiveSmallIntegerField(default=0)
    migraine_days = models.PositiveSmallIntegerField(default=0)
    cycles = models.PositiveSmallIntegerField(default=0)
    change_percent = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    last_entry_day = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # Partial: the list reads only courses under way (Django writes `active=True` as
            # a bare column test, which a partial index matches and a column of one doesn't).
            models.Index(
                fields=["clinic", "-rank", "name_key", "patient"],
                condition=models.Q(active=True),
                name="diary_standing_list",
            ),
        ]

    def __str__(self) -> str:
        return f"diary standing {self.as_of:%Y-%m-%d}"
