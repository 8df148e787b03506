"""The settings page's fields: their groups in the order a clinician reads them, their labels
(the page's and the change history's), and each one's default as text."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db.models import NOT_PROVIDED

from ..models import ClinicSettings


def as_text(value: Any) -> str:
    """A setting's value as the change history and the page write it."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return "" if value is None else str(value)


# The settings page, in the order a clinician reads it; every editable field is in one group.
GROUPS: list[tuple[str, list[str]]] = [
    (
        "Re-treatment",
        ["retreatment_due_weeks", "retreatment_window_weeks", "recent_toxin_days"],
    ),
    (
        "Diagnosis and start rule",
        ["chronic_headache_days", "chronic_migraine_days", "min_failed_preventives"],
    ),
    ("Consent", ["consent_valid_days", "consent_warning_days"]),
    (
        "Headache diary",
        [
            "diary_period",
            "headache_day_min_hours",
            "migraine_day_min_features",
            "diary_edit_days",
            "diary_nudge_days",
            "diary_min_recorded_days",
        ],
    ),
    (
        "Medication overuse, chronic migraine and the stop rule",
        [
            "overuse_specific_days",
            "overuse_simple_days",
            "pattern_months",
            "stop_min_reduction_percent",
            "stop_after_cycles",
            "stop_episodic_days",
            "stop_episodic_months",
        ],
    ),
    ("Doses", ["units_per_site", "max_total_units", "vial_use_hours"]),
    (
        "Reminders",
        [
            "reminder_sender",
            "reminder_time",
            "appointment_reminder_hours",
            "checkin_weeks",
            "quiet_from",
            "quiet_until",
        ],
    ),
    (
        "Visits",
        [
            "day_starts",
            "day_ends",
            "rooms",
            "follow_up_weeks",
            "follow_up_time",
            "consultation_minutes",
            "consent_minutes",
            "injection_minutes",
            "follow_up_minutes",
            "appointment_minutes",
            "booking_horizon_days",
            "self_booking_notice_days",
            "self_booking_late_days",
            "self_booking_lead_hours",
        ],
    ),
    ("Portal and call-backs", ["portal_invitation_days", "callback_target_days"]),
    ("Public page", ["public_intro", "public_steps"]),
    ("Aftercare", ["aftercare_instructions", "comfort_measures"]),
    ("Documents", ["paper_size"]),
]
SETTINGS_FIELDS = [name for _, names in GROUPS for name in names]

LABELS = {
    "retreatment_due_weeks": "Re-treatment due after (weeks)",
    "retreatment_window_weeks": "Re-treatment window opens after (weeks)",
    "recent_toxin_days": "Recent toxin flagged within (days)",
    "chronic_headache_days": "Headache days a month, at least",
    "chronic_migraine_days": "Migraine days a month, at least",
    "min_failed_preventives": "Failed preventives before starting",
    "consent_valid_days": "Consent valid for (days)",
    "consent_warning_days": "Warn before a consent ends (days)",
    "units_per_site": "Units a site",
    "max_total_units": "Maximum total units a session",
    "vial_use_hours": "A reconstituted vial is used within (hours)",
    "reminder_sender": "Reminders are signed",
    "reminder_time": "Reminders sent at",
    "appointment_reminder_hours": "Visits reminded before (hours)",
    "checkin_weeks": "Check-in message after a session (weeks)",
    "quiet_from": "No texts from",
    "quiet_until": "No texts until",
    "day_starts": "The clinic's day starts at",
    "day_ends": "The clinic's day ends at",
    "follow_up_weeks": "Follow-up visit after a session (weeks)",
    "follow_up_time": "Follow-up visit suggested at",
    "follow_up_minutes": "Follow-up visit length (minutes)",
    "consultation_minutes": "Consultation length (minutes)",
    "consent_minutes": "Consent discussion length (minutes)",
    "rooms": "Rooms",
    "injection_minutes": "Injection session length (minutes)",
    "appointment_minutes": "Response review length (minutes)",
    "booking_horizon_days": "Bookings at most this far ahead (days)",
    "self_booking_notice_days": "Patients book their own session from (days before the window)",
    "self_booking_late_days": "Once due, patients choose among the next (days)",
    "self_booking_lead_hours": "Patients book their own session at least (hours ahead)",
    "portal_invitation_days": "Portal invitation link valid for (days)",
    "callback_target_days": "Call-back answered within (working days)",
    "public_intro": "Opening words",
    "public_steps": "The steps",
    "aftercare_instructions": "Aftercare instructions",
    "comfort_measures": "Comfort measures suggested",
    "paper_size": "Paper size",
}
LONG_TEXT = {"public_intro", "public_steps", "aftercare_instructions"}


def setting_default(name: str) -> str:
    default = getattr(ClinicSettings._meta.get_field(name), "default", NOT_PROVIDED)
    if default is NOT_PROVIDED:
        return ""
    return as_text(default() if callable(default) else default)
