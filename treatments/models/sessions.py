"""Step 3 to 5's records: stock lots, injection sessions and their sites, aftercare, and the
review of a cycle's response."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from patients.models import Appointment, AppointmentStatus

from .course import Course


def lot_usable_on(expiry_date: date, day: date) -> bool:
    """The one rule for a lot's expiry: "do not use after" the date on the pack (the summary
    of product characteristics), so a lot may be used on its expiry date and not the day
    after. `ProductLotQuerySet.usable_on` says the same in SQL; the guard, the injection
    form's choice of lots, the stock page and the stock form all read one of the two."""
    return day <= expiry_date


VIAL_SIZES = [(100, "100 units"), (200, "200 units")]


class ProductLotQuerySet(models.QuerySet["ProductLot"]):
    def usable_on(self, day: date) -> ProductLotQuerySet:
        """The lots `lot_usable_on` allows on `day`."""
        return self.filter(expiry_date__gte=day)


class ProductLot(models.Model):
    clinic = models.ForeignKey("botoxcare.Clinic", on_delete=models.PROTECT, related_name="lots")
    product = models.CharField(max_length=100, default="onabotulinumtoxinA (Botox)")
    lot_number = models.CharField(max_length=40)
    expiry_date = models.DateField()
    vial_units = models.PositiveSmallIntegerField(choices=VIAL_SIZES)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductLotQuerySet.as_manager()

    class Meta:
        ordering = ["expiry_date", "lot_number"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "lot_number"], name="lot_number_in_clinic"),
        ]

    def __str__(self) -> str:
        return f"{self.lot_number} (exp. {self.expiry_date:%d %b %Y}, {self.vial_units} U)"

    def usable_on(self, day: date) -> bool:
        return lot_usable_on(self.expiry_date, day)


class Position(models.TextChoices):
    SITTING = "sitting", "Sitting"
    LYING = "lying", "Lying"


class Reaction(models.TextChoices):
    """An immediate reaction at the session (what was done about it is recorded beside)."""

    NONE = "none", "None"
    PAIN = "pain", "Pain"
    BLEEDING = "bleeding", "Bleeding"
    BRUISING = "bruising", "Bruising"
    VASOVAGAL = "vasovagal", "Vasovagal (faint)"
    OTHER = "other", "Other"


class InjectionSession(models.Model):
    """Step 3: one session, the anchor date of a cycle."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    session_date = models.DateField()
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    tolerability = models.TextField(blank=True)
    recorded_at = models.DateTimeField()
    # How the session went at the chair (clinic-local times of the session's day); blank on
    # sessions recorded before these were asked.
    started_at = models.TimeField(null=True, blank=True)
    ended_at = models.TimeField(null=True, blank=True)
    position = models.CharField(max_length=8, choices=Position.choices, blank=True)
    skin_cleansed = models.BooleanField(default=False)
    needle_gauge = models.PositiveSmallIntegerField(
        null=True, blank=True, choices=[(g, f"{g} G") for g in (27, 30, 31, 32, 33)]
    )
    reaction = models.CharField(max_length=10, choices=Reaction.choices, blank=True)
    reaction_action = models.TextField(blank=True, max_length=1000)

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

    @property
    def units_discarded(self) -> int:
        return sum(v.units_discarded for v in self.vials.all())


class InjectionVial(models.Model):
    """One vial used in a session: its lot, size and reconstitution, and where its units
    went (given to the patient or discarded). A session uses one or more, from one lot or
    several."""

    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="vials")
    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="vials")
    vial_units = models.PositiveSmallIntegerField(choices=VIAL_SIZES)
    diluent_ml = models.DecimalField(max_digits=4, decimal_places=1)
    reconstituted_at = models.DateTimeField()
    units_given = models.PositiveSmallIntegerField()
    units_discarded = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["session", "id"]
        indexes = [models.Index(fields=["lot", "session"], name="vial_lot_session")]

    def __str__(self) -> str:
        return f"{self.vial_units} U vial of lot {self.lot_id}: {self.units_given} U given"


class InjectionSite(models.Model):
    session = models.ForeignKey(InjectionSession, on_delete=models.CASCADE, related_name="sites")
    muscle = models.CharField(max_length=40)
    sites = models.PositiveSmallIntegerField()
    units = models.PositiveSmallIntegerField()
    # How many of `sites` were on the patient's left and right (a bilateral muscle's, as the
    # clinician gave them); null is "not recorded": sessions before sides were asked, a form
    # posted without them, and a midline muscle (treatments/sides.py). The dose limits stay
    # the muscle's.
    sites_left = models.PositiveSmallIntegerField(null=True, blank=True)
    sites_right = models.PositiveSmallIntegerField(null=True, blank=True)

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

    @property
    def has_follow_up(self) -> bool:
        """A follow-up visit is booked (or already took place); a cancelled one is none."""
        return self.follow_up is not None and self.follow_up.status != AppointmentStatus.CANCELLED


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
    # The diary's stop rule (NICE TA260) as the caller judged it when re-treating, and the
    # clinician's reason to continue although it was met.
    stop_rule_met = models.BooleanField(default=False)
    stop_rule_reason = models.TextField(
        blank=True, help_text="Why re-treatment continues although the stop rule is met."
    )
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Response review on {self.reviewed_on}"
