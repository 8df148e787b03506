"""Step 1's record: the consultation."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action, snapshot
from botoxcare.errors import DomainError
from botoxcare.roles import Action, require

from ..care_dates import care_date_check
from ..models import Consultation, Course, State
from ..pathway import start_rule_justification_missing, start_rule_unmet
from ..start_rule import failed_preventive_classes, failed_preventive_count
from .course import course_lock, require_state

# What `consultation.recorded` keeps: the facts the pathway's guards read (not the notes).
RECORDED_FIELDS = (
    "seen_on",
    "start_rule_justification",
    "headache_days_per_month",
    "migraine_days_per_month",
    "pattern_months",
    "figures_from_diary",
    "chronic_migraine_confirmed",
    "benefits_risks_discussed",
    "medication_overuse",
    "decision",
)


def consultation_record(
    *,
    course: Course,
    by: User,
    seen_on: date,
    history: str,
    previous_preventives: str = "",
    start_rule_justification: str = "",
    headache_days_per_month: int | None = None,
    migraine_days_per_month: int | None = None,
    pattern_months: int | None = None,
    figures_from_diary: bool = False,
    chronic_migraine_confirmed: bool,
    benefits_risks_discussed: bool,
    medication_overuse: str,
    decision: str,
    notes: str = "",
    now: datetime | None = None,
) -> Consultation:
    """Record step 1 by the clinician who saw the patient (the signed-in clinician).

    The start rule counts the patient's list of preventive treatments
    (treatments.start_rule.failed_preventive_count; the list is kept by services.history):
    deciding to proceed although it is not met needs the clinician's
    `start_rule_justification` (DomainError START_RULE_NEEDS_JUSTIFICATION otherwise); it is
    kept only when the rule is not met, and the evaluation's guard reads it. The event keeps
    the count and the classes as they were."""
    require(by, Action.RECORD_CONSULTATION)
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.CONSULTATION)
        care_date_check(locked, seen_on, field="seen_on")
        rules = locked.clinic_settings
        preventives = locked.patient_preventives
        failed = failed_preventive_count(None, preventives)
        missing = start_rule_justification_missing(
            failed, decision, start_rule_justification, rules
        )
        if missing is not None:
            raise DomainError(missing)
        if not start_rule_unmet(failed, rules):
            start_rule_justification = ""
        consultation = Consultation.objects.create(
            course=locked,
            clinician=by,
            seen_on=seen_on,
            history=history,
            previous_preventives=previous_preventives,
            start_rule_justification=start_rule_justification.strip(),
            headache_days_per_month=headache_days_per_month,
            migraine_days_per_month=migraine_days_per_month,
            pattern_months=pattern_months,
            figures_from_diary=figures_from_diary,
            chronic_migraine_confirmed=chronic_migraine_confirmed,
            benefits_risks_discussed=benefits_risks_discussed,
            medication_overuse=medication_overuse,
            decision=decision,
            notes=notes,
            recorded_at=now or timezone.now(),
        )
        log_action(
            "consultation.recorded",
            user=by,
            patient=locked.patient,
            target=consultation,
            data={
                **snapshot(consultation, RECORDED_FIELDS),
                "failed_preventives_count": failed,
                "failed_classes": sorted(failed_preventive_classes(preventives)),
            },
        )
        return consultation
