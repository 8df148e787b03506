"""The core's models: the clinic, its clinical settings, its staff. The apps import them (and
the defaults a new clinic starts with) from here."""

from ..defaults import (
    DEFAULT_AFTERCARE,
    DEFAULT_PUBLIC_INTRO,
    DEFAULT_PUBLIC_STEPS,
    PREEMPT_MUSCLES,
    MuscleLimit,
    default_muscle_limits,
    default_work_days,
)
from .audit import AppendOnly, AuditEvent
from .clinic import Clinic, ClinicSettings, PaperSize
from .diary_rules import DiaryPeriod
from .staff import ClinicSettingsChange, StaffProfile
from .submission import FormSubmission

__all__ = [
    "DEFAULT_AFTERCARE",
    "DEFAULT_PUBLIC_INTRO",
    "DEFAULT_PUBLIC_STEPS",
    "PREEMPT_MUSCLES",
    "AppendOnly",
    "AuditEvent",
    "Clinic",
    "ClinicSettings",
    "ClinicSettingsChange",
    "DiaryPeriod",
    "FormSubmission",
    "MuscleLimit",
    "PaperSize",
    "StaffProfile",
    "default_muscle_limits",
    "default_work_days",
]
