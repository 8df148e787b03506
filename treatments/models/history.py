"""The patient's medical lists: preventive treatments tried, current medicines, allergies.

They belong to the patient, not to one consultation: a history is what the next consultation
(or a later course, after a discontinued one) starts from, and the preparation review and the
injection session read the same lists. Rows are added and removed, each change audited."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models

from patients.models import Patient

from ..choices import FAILED_OUTCOMES, PreventiveClass, PreventiveOutcome

# Twenty years of a preventive, in weeks: past it a typed duration is a mistake.
MOST_PREVENTIVE_WEEKS = 1040


class PreventiveTreatment(models.Model):
    """One preventive the patient tried (or takes), its class and how it went."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="preventive_treatments"
    )
    drug_class = models.CharField(max_length=20, choices=PreventiveClass.choices)
    drug = models.CharField(max_length=100, blank=True, help_text="The drug's name.")
    dose = models.CharField(max_length=100, blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(MOST_PREVENTIVE_WEEKS)]
    )
    outcome = models.CharField(max_length=20, choices=PreventiveOutcome.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_drug_class_display()}: {self.get_outcome_display()}"

    @property
    def failed(self) -> bool:
        return self.outcome in FAILED_OUTCOMES

    @property
    def name(self) -> str:
        """The drug as the list shows it: its name, else its class."""
        return self.drug or self.get_drug_class_display()


class CurrentMedicine(models.Model):
    """A medicine the patient takes now (any indication), read by the preparation review
    and shown beside the injection session."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="current_medicines")
    name = models.CharField(max_length=100)
    dose = models.CharField(max_length=100, blank=True)
    since = models.DateField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Allergy(models.Model):
    """A substance the patient reacts to, and how."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="allergies")
    substance = models.CharField(max_length=100)
    reaction = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["substance", "id"]
        verbose_name_plural = "allergies"

    def __str__(self) -> str:
        return self.substance
