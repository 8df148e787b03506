"""The clinic and its editable clinical settings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

# The defaults a new clinic starts with; re-exported, as the apps import them from here.
from ..defaults import (
    DEFAULT_AFTERCARE,
    DEFAULT_PUBLIC_INTRO,
    DEFAULT_PUBLIC_STEPS,
    PREEMPT_MUSCLES,
    MuscleLimit,
    default_muscle_limits,
    muscle_cells_missing,
)
from .diary_rules import DiaryRules


class PaperSize(models.TextChoices):
    """Paper for printed documents; the values are CSS `@page` sizes."""

    A4 = "A4", "A4"
    LETTER = "letter", "Letter"


class Clinic(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    phone = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return self.name


class ClinicSettings(DiaryRules):
    """Every clinical default, editable per clinic; the defaults follow the licensed protocol.
    The diary's definitions and the flags' thresholds are its `DiaryRules` part."""

    clinic = models.OneToOneField(Clinic, on_delete=models.CASCADE, related_name="settings")
    retreatment_due_weeks = models.PositiveSmallIntegerField(
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Re-treatment is due this many weeks after the last session.",
    )
    retreatment_window_weeks = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text="Re-treatment may start this many weeks after the last session.",
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        default=4, help_text="Suggested follow-up visit after a session, in weeks."
    )
    chronic_headache_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(31)],
        help_text="Chronic migraine (ICHD-3): headache days a month, at least.",
    )
    chronic_migraine_days = models.PositiveSmallIntegerField(
        default=8,
        validators=[MaxValueValidator(31)],
        help_text="Chronic migraine (ICHD-3): of those, days with migraine features, at least.",
    )
    min_failed_preventives = models.PositiveSmallIntegerField(
        default=3,
        help_text="Start rule: preventive treatments that must have failed (NICE TA260: 3).",
    )
    recent_toxin_days = models.PositiveSmallIntegerField(
        default=122,
        help_text="A session of an earlier course within this many days (4 months) is "
        "flagged for a clinician's review before the next course.",
    )
    reminder_sender = models.CharField(
        max_length=60,
        default="your clinic",
        help_text="How reminders name the sender; keep it neutral (no diagnosis or drug).",
    )
    reminder_time = models.TimeField(
        default=time(9, 0), help_text="Local time of day reminders are sent."
    )
    appointment_reminder_hours = models.PositiveSmallIntegerField(
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(336)],
        help_text="A booked visit is reminded this many hours before it.",
    )
    checkin_weeks = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="A check-in message this many weeks after each session.",
    )
    quiet_from = models.TimeField(
        default=time(20, 0), help_text="No text message is sent from this time…"
    )
    quiet_until = models.TimeField(
        default=time(8, 0), help_text="…until this time (the clinic's time zone)."
    )
    day_starts = models.TimeField(
        default=time(8, 30), help_text="The clinic's day starts (the day view's first slot)."
    )
    day_ends = models.TimeField(
        default=time(17, 0),
        help_text="…and ends: a clinician's working hours unless their own are set.",
    )
    rooms = models.TextField(
        blank=True,
        default="",
        help_text="The clinic's rooms, one a line: the calendar shows each one's day, and a room "
        "is booked once at a time.",
    )
    follow_up_time = models.TimeField(
        default=time(10, 0), help_text="Time suggested for the follow-up visit after a session."
    )
    follow_up_minutes = models.PositiveSmallIntegerField(
        default=20, validators=[MinValueValidator(5)], help_text="Length of a follow-up visit."
    )
    consultation_minutes = models.PositiveSmallIntegerField(
        default=45,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Length of a consultation, unless the booking says otherwise.",
    )
    injection_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Length of an injection session, unless the booking says otherwise.",
    )
    consent_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Length of a consent discussion, unless the booking says otherwise.",
    )
    appointment_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text="Length of a response review (and any other visit), unless the booking says "
        "otherwise.",
    )
    self_booking_notice_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MaxValueValidator(56)],
        help_text="Patients may book their own re-treatment visit in the portal from this many "
        "days before the window opens.",
    )
    self_booking_late_days = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(56)],
        help_text="Once re-treatment is due, the portal offers visits over this many days.",
    )
    self_booking_lead_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MaxValueValidator(336)],
        help_text="The portal offers times at least this many hours ahead (0: any time still "
        "to come), so the clinic can prepare and the visit's reminder goes out.",
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        default=730,
        validators=[MinValueValidator(1)],
        help_text="How far ahead a visit may be booked (catches a mistyped year).",
    )
    consent_valid_days = models.PositiveSmallIntegerField(
        default=365, help_text="A signed consent covers sessions for this many days."
    )
    consent_warning_days = models.PositiveSmallIntegerField(
        default=30, help_text="Both sides are told this many days before a consent expires."
    )
    units_per_site = models.PositiveSmallIntegerField(
        default=5, validators=[MinValueValidator(1)], help_text="Units in each 0.1 mL site."
    )
    max_total_units = models.PositiveSmallIntegerField(default=195)
    vial_use_hours = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text="A reconstituted vial is used within this many hours, then discarded.",
    )
    muscle_limits = models.JSONField(default=default_muscle_limits)
    public_intro = models.TextField(
        default=DEFAULT_PUBLIC_INTRO, help_text="The opening words of the clinic's public page."
    )
    public_steps = models.TextField(
        default=DEFAULT_PUBLIC_STEPS,
        help_text="The five steps on the public page: a title line, then its text; a blank "
        "line between steps.",
    )
    callback_target_days = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="Working days within which a call-back request should be answered.",
    )
    aftercare_instructions = models.TextField(default=DEFAULT_AFTERCARE)
    portal_invitation_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text="A portal invitation link can be used for this many days.",
    )
    paper_size = models.CharField(
        max_length=10,
        choices=PaperSize.choices,
        default=PaperSize.A4,
        help_text="Paper size of the consent and aftercare PDFs.",
    )
    comfort_measures = models.TextField(
        default="Cold compress applied to the injection sites.",
        blank=True,
        help_text="What the aftercare form suggests as comfort measures given.",
    )

    class Meta:
        verbose_name_plural = "clinic settings"

    def __str__(self) -> str:
        return f"Settings of {self.clinic}"

    def minutes_for(self, kind: str) -> int:
        """A visit's usual length by its kind (patients.AppointmentKind's values)."""
        return {
            "consultation": self.consultation_minutes,
            "consent": self.consent_minutes,
            "injection": self.injection_minutes,
            "follow_up": self.follow_up_minutes,
        }.get(kind, self.appointment_minutes)

    @property
    def shortest_visit_minutes(self) -> int:
        """The shortest usual length of any kind of visit: less free time than this is none."""
        return min(
            self.consultation_minutes,
            self.consent_minutes,
            self.injection_minutes,
            self.follow_up_minutes,
            self.appointment_minutes,
        )

    def self_booking_earliest(self, now: datetime) -> datetime:
        """The first moment a patient may book their own visit for."""
        return now + timedelta(hours=self.self_booking_lead_hours)

    @property
    def room_names(self) -> list[str]:
        """The clinic's rooms as listed, each once (case aside), blank lines dropped."""
        seen: dict[str, str] = {}
        for line in self.rooms.splitlines():
            name = line.strip()[:50]
            if name and name.lower() not in seen:
                seen[name.lower()] = name
        return list(seen.values())

    @property
    def muscles_in_order(self) -> dict[str, MuscleLimit]:
        """The dose table in the protocol's order (PostgreSQL's jsonb keeps no key order), any
        muscle the clinic added after the protocol's, by name."""
        order = list(PREEMPT_MUSCLES)
        rank = {name: i for i, name in enumerate(order)}
        stored = self.muscle_limits
        limits: dict[str, MuscleLimit] = stored if isinstance(stored, dict) else {}
        return dict(sorted(limits.items(), key=lambda kv: (rank.get(kv[0], len(order)), kv[0])))

    @property
    def muscles_incomplete(self) -> list[str]:
        """The muscles whose row of the dose table misses a cell (see `muscle_cells_missing`):
        the injection form leaves them out and refuses to record until the table is fixed."""
        return [m for m, limit in self.muscles_in_order.items() if muscle_cells_missing(limit)]

    def clean(self) -> None:
        """Numbers that contradict each other are refused where an admin edits them."""
        errors = {}
        if self.retreatment_window_weeks > self.retreatment_due_weeks:
            errors["retreatment_window_weeks"] = ValidationError(
                "The re-treatment window cannot open after re-treatment is due.",
                code="window_after_due",
            )
        if self.chronic_migraine_days > self.chronic_headache_days:
            errors["chronic_migraine_days"] = ValidationError(
                "Migraine days cannot be more than the headache days they are part of.",
                code="migraine_above_headache",
            )
        if self.day_ends <= self.day_starts:
            errors["day_ends"] = ValidationError(
                "The clinic's day must end after it starts.", code="day_ends_before_start"
            )
        if errors:
            raise ValidationError(errors)
