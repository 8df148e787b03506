"""The clinic's definitions for the headache diary and what is judged from it: what counts as a
headache day and a migraine day, the period figures are counted over, the edit window, and
the thresholds of the flags (ICHD-3 medication overuse and chronic migraine, NICE TA260's stop
rule). An abstract part of ClinicSettings, kept apart so that each stays one concern."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class DiaryPeriod(models.TextChoices):
    DAYS_28 = "28_days", "28 days"
    MONTH = "month", "Calendar month"


class DiaryRules(models.Model):
    diary_period = models.CharField(
        max_length=10,
        choices=DiaryPeriod.choices,
        default=DiaryPeriod.DAYS_28,
        help_text="The period monthly figures count over: 28 days (as the trials) or the "
        "calendar month.",
    )
    headache_day_min_hours = models.PositiveSmallIntegerField(
        default=4,
        validators=[MaxValueValidator(24)],
        help_text="A headache day has headache lasting at least this many hours (PREEMPT: 4); "
        "0 counts any headache. A headache recorded without its duration counts.",
    )
    migraine_day_min_features = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="A headache day is a migraine day with at least this many of: throbbing, "
        "one-sided, worse with activity, moderate or severe pain; and nausea or sensitivity to "
        "light and sound. Aura, or a triptan or ergot taken, also makes it one.",
    )
    diary_edit_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MaxValueValidator(90)],
        help_text="A diary day can be changed this many days after it; later, a change is an "
        "amendment that keeps the original.",
    )
    diary_nudge_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A patient in maintenance who has written nothing for this many days is "
        "reminded to keep their diary.",
    )
    diary_min_recorded_days = models.PositiveSmallIntegerField(
        default=20,
        validators=[MaxValueValidator(31)],
        help_text="A period with fewer recorded days is flagged as too few to judge.",
    )
    overuse_specific_days = models.PositiveSmallIntegerField(
        default=10,
        validators=[MaxValueValidator(31)],
        help_text="Medication overuse (ICHD-3): days a month of triptans, ergots, opioids or "
        "combination analgesics, or of any combination of those classes.",
    )
    overuse_simple_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(31)],
        help_text="Medication overuse (ICHD-3): days a month of simple analgesics.",
    )
    pattern_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="ICHD-3's 'more than 3 months': the consecutive periods medication overuse "
        "or the chronic migraine pattern must last to be flagged.",
    )
    stop_min_reduction_percent = models.PositiveSmallIntegerField(
        default=30,
        validators=[MaxValueValidator(100)],
        help_text="Stop rule (NICE TA260): headache days must fall by at least this percent "
        "against the baseline ...",
    )
    stop_after_cycles = models.PositiveSmallIntegerField(
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="... after this many treatment cycles.",
    )
    stop_episodic_days = models.PositiveSmallIntegerField(
        default=15,
        validators=[MaxValueValidator(31)],
        help_text="Stop rule: fewer headache days a month than this (episodic) ...",
    )
    stop_episodic_months = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        help_text="... for this many consecutive periods.",
    )

    class Meta:
        abstract = True
