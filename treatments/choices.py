"""The pathway's states and the fixed choices its records use; read by the models, the guards
and the pages alike (code compares against these, never against literal strings)."""

from __future__ import annotations

from django.db import models


class State(models.TextChoices):
    CONSULTATION = "consultation", "1 · Consultation and evaluation"
    CONSENT = "consent", "2 · Preparing for treatment"
    INJECTION = "injection", "3 · Ready for injection"
    POST_CARE = "post_care", "4 · Post-treatment care"
    MAINTENANCE = "maintenance", "5 · Monitoring and maintenance"
    DISCONTINUED = "discontinued", "Discontinued"


ACTIVE_STATES = [s for s in State if s != State.DISCONTINUED]


class DiscontinueReason(models.TextChoices):
    STOP_RULE = "stop_rule", "Stop rule met (insufficient response or now episodic)"
    PATIENT_CHOICE = "patient_choice", "Patient's choice"
    ADVERSE_EVENT = "adverse_event", "Adverse event"
    OTHER = "other", "Other"


class MedicationOveruse(models.TextChoices):
    NONE = "none", "No medication overuse"
    MANAGED = "managed", "Overuse present, being managed"
    PRESENT = "present", "Overuse present, not yet managed"


class Decision(models.TextChoices):
    PROCEED = "proceed", "Agreed to proceed with treatment"
    DECLINE = "decline", "Patient declines treatment"
    UNDECIDED = "undecided", "Undecided, to be discussed again"


class ConsentMethod(models.TextChoices):
    PAPER = "paper", "Signed on paper, recorded by staff"
    ELECTRONIC = "electronic", "Signed electronically by the patient"


class ReminderKind(models.TextChoices):
    RETREATMENT_DUE = "retreatment_due", "Re-treatment due"
    FOLLOW_UP = "follow_up", "Follow-up visit"
    APPOINTMENT = "appointment", "Booked visit"
    CHECK_IN = "check_in", "Check-in after a session"
    CONSENT_RENEWAL = "consent_renewal", "Consent to renew"
    DIARY_NUDGE = "diary_nudge", "Diary not written for a while"


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


class Transition(models.TextChoices):
    """The machine's transitions: each the name of a method of Course, and the URL slug and
    log name of that step (treatments/steps.py says who may take it and how it is shown)."""

    COMPLETE_EVALUATION = "complete_evaluation", "Complete evaluation"
    DECLINE = "decline", "Patient declines treatment"
    RECORD_CONSENT = "record_consent", "Confirm ready for injection"
    RECORD_INJECTION = "record_injection", "Record injection session"
    START_MAINTENANCE = "start_maintenance", "Start maintenance"
    START_RETREATMENT = "start_retreatment", "Review response and start re-treatment"
    RENEW_CONSENT = "renew_consent", "Renew consent"
    DISCONTINUE = "discontinue", "Discontinue course"


class DocumentKind(models.TextChoices):
    CONSENT = "consent", "Signed consent"
    AFTERCARE = "aftercare", "Aftercare instructions"


class PreventiveClass(models.TextChoices):
    """The usual classes of migraine preventive (NICE CG150, TA260 and later appraisals)."""

    BETA_BLOCKER = "beta_blocker", "Beta-blocker (propranolol, metoprolol…)"
    TOPIRAMATE = "topiramate", "Topiramate"
    TCA = "tca", "Amitriptyline or another tricyclic"
    CANDESARTAN = "candesartan", "Candesartan"
    FLUNARIZINE = "flunarizine", "Flunarizine"
    VALPROATE = "valproate", "Valproate"
    PIZOTIFEN = "pizotifen", "Pizotifen"
    CGRP_ANTIBODY = "cgrp_antibody", "CGRP monoclonal antibody"
    GEPANT = "gepant", "Gepant (atogepant, rimegepant)"
    OTHER = "other", "Other (name the drug)"


class PreventiveOutcome(models.TextChoices):
    INEFFECTIVE = "ineffective", "Ineffective"
    NOT_TOLERATED = "not_tolerated", "Not tolerated"
    CONTRAINDICATED = "contraindicated", "Contraindicated"
    STILL_TAKING = "still_taking", "Still taking"
    HELPED = "helped", "Helped"


# The outcomes that count as a failed preventive for the start rule (treatments/start_rule.py).
FAILED_OUTCOMES = frozenset(
    {
        PreventiveOutcome.INEFFECTIVE,
        PreventiveOutcome.NOT_TOLERATED,
        PreventiveOutcome.CONTRAINDICATED,
    }
)
