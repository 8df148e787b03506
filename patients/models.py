"""Patients, their portal access and their appointments."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from botoxcare.messaging import ContactChannel
from botoxcare.models import Clinic

from .search import name_key

__all__ = [
    "CLOSING_STATUSES",
    "Appointment",
    "AppointmentKind",
    "AppointmentStatus",
    "CallbackOutcome",
    "CallbackOutcomeKind",
    "CallbackRequest",
    "CallbackStatus",
    "CallbackTopic",
    "ContactAttempt",
    "ContactChannel",
    "ContactOutcome",
    "Patient",
    "PortalInvitation",
]


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient",
        help_text="The patient's portal login, if they have one.",
    )
    identifier = models.CharField(
        max_length=40, help_text="The clinic's own patient number (e.g. hospital number)."
    )
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    preferred_channel = models.CharField(
        max_length=10, choices=ContactChannel.choices, default=ContactChannel.PHONE
    )
    # The kinds of reminder (treatments.models.ReminderKind values) the patient asked not to
    # receive; the sweep drops those.
    reminder_opt_outs = models.JSONField(default=list, blank=True)
    responsible_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The names as the staff list sorts and searches them (patients.search.name_key: accents
    # dropped, case folded), kept by save(). Compared in code-point order on every database
    # (on PostgreSQL the columns are COLLATE "C", migration 0011), so that a prefix is a range
    # of the indexes below: the list's order, its pages and a name's search read an index.
    search_last = models.CharField(max_length=100, default="", editable=False)
    search_first = models.CharField(max_length=100, default="", editable=False)
    # The step of the patient's current course (treatments' Course.state of the latest
    # course), kept by the treatments services that open a course or take a step
    # (treatments.services.course.current_state_keep): the list's step filter reads it
    # through an index instead of asking every patient's courses.
    current_state = models.CharField(max_length=20, blank=True, default="", editable=False)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "identifier"], name="patient_identifier_unique_in_clinic"
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
            # The staff list: its order and pages (keyset), a last name's prefix.
            models.Index(
                fields=["clinic", "search_last", "search_first", "id"],
                name="patient_list_order_idx",
            ),
            # A first name's prefix.
            models.Index(fields=["clinic", "search_first"], name="patient_list_first_idx"),
            # The step filter, in the list's order.
            models.Index(
                fields=["clinic", "current_state", "search_last", "search_first", "id"],
                name="patient_list_step_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """The search keys follow the names, whoever writes them."""
        self.search_last, self.search_first = name_key(self.last_name), name_key(self.first_name)
        fields = kwargs.get("update_fields")
        if fields is not None and {"last_name", "first_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "search_last", "search_first"}
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PortalInvitation(models.Model):
    """An invitation to the portal, sent by email as a single-use link that expires.

    Only a hash of the link's token is stored: whoever reads the database cannot use a link.
    At most one invitation of a patient is open (neither used nor revoked) at a time.
    """

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="portal_invitations"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_to = models.EmailField(help_text="The address the link was sent to.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="portal_invitation_one_open_per_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"Portal invitation {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None

    def usable_at(self, now: datetime) -> bool:
        """Neither used nor revoked, and not yet expired."""
        return self.is_open and now < self.expires_at


class AppointmentKind(models.TextChoices):
    CONSULTATION = "consultation", "Consultation"
    CONSENT = "consent", "Consent discussion"
    INJECTION = "injection", "Injection session"
    FOLLOW_UP = "follow_up", "Follow-up"
    REVIEW = "review", "Response review"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "Booked"
    ATTENDED = "attended", "Attended"
    CANCELLED = "cancelled", "Cancelled"
    DID_NOT_ATTEND = "did_not_attend", "Did not attend"


# What a booked visit can be closed as.
CLOSING_STATUSES = [
    (AppointmentStatus.ATTENDED, AppointmentStatus.ATTENDED.label),
    (AppointmentStatus.DID_NOT_ATTEND, AppointmentStatus.DID_NOT_ATTEND.label),
    (AppointmentStatus.CANCELLED, AppointmentStatus.CANCELLED.label),
]


class Appointment(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField(max_length=20, choices=AppointmentKind.choices)
    clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    room = models.CharField(max_length=50, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    booking_note = models.TextField(
        blank=True, help_text="Why it was booked as it was (a clinician's override, say)."
    )
    status_note = models.TextField(
        blank=True, help_text="Why it was cancelled or moved, as the person who did it said."
    )
    moved_to = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The visit this one was moved to (this one is then cancelled).",
    )

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
        ]
        # The calendar and the overlap checks read visits by time, a clinician's by both.
        indexes = [
            models.Index(fields=["starts_at"], name="appointment_starts_idx"),
            models.Index(fields=["clinician", "starts_at"], name="appointment_clinician_idx"),
            # The schedules ask of thousands of patients whether a visit is booked ahead (and
            # read the next one for a page's rows): one probe of this index each, no row read.
            models.Index(
                fields=["patient", "status", "starts_at"], name="appointment_booked_ahead_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_booked(self) -> bool:
        return self.status == AppointmentStatus.BOOKED


class CallbackTopic(models.TextChoices):
    NEW_REFERRAL = "new_referral", "I would like to be seen (new referral)"
    CURRENT_PATIENT = "current_patient", "I am a patient of the clinic"
    SIDE_EFFECT = "side_effect", "A side effect or a worry after injections"
    OTHER = "other", "Something else"


class CallbackStatus(models.TextChoices):
    OPEN = "open", "Waiting for a call"
    CLAIMED = "claimed", "Being called"
    DONE = "done", "Done"


class CallbackOutcomeKind(models.TextChoices):
    REACHED = "reached", "Reached: handled on the phone"
    NO_ANSWER = "no_answer", "No answer: try again"
    BOOKED = "booked", "Consultation booked"
    CLOSED = "closed", "Closed without a call (duplicate, wrong number, withdrawn)"


class CallbackRequest(models.Model):
    """A "Call me" request from the public page, and what staff did with it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="callbacks")
    name = models.CharField(max_length=100)
    phone = models.CharField(max_length=30)
    phone_digits = models.CharField(max_length=20, help_text="The number's digits, for limits.")
    best_times = models.CharField(max_length=100, blank=True)
    topic = models.CharField(max_length=20, choices=CallbackTopic.choices)
    message = models.TextField(max_length=500, blank=True)
    contact_consent = models.BooleanField(default=False)
    # A keyed hash of the sender's address: enough to count requests, not to find anyone.
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=CallbackStatus.choices, default=CallbackStatus.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks"
    )

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["clinic", "status", "created_at"]),
            models.Index(fields=["address_hash", "created_at"]),
            models.Index(fields=["phone_digits", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"Call-back request {self.pk}"

    @property
    def is_done(self) -> bool:
        return self.status == CallbackStatus.DONE

    @property
    def is_side_effect(self) -> bool:
        """About a side effect or a worry after injections: call these first."""
        return self.topic == CallbackTopic.SIDE_EFFECT


class CallbackOutcome(models.Model):
    """One call (or decision) about a request, with its note; the last one decides the
    request's status."""

    request = models.ForeignKey(CallbackRequest, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(max_length=20, choices=CallbackOutcomeKind.choices)
    note = models.TextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at}"


class ContactOutcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NO_ANSWER = "no_answer", "No answer"
    LEFT_MESSAGE = "left_message", "Left a message"


class ContactAttempt(models.Model):
    """One attempt by staff to reach a patient about their follow-up (a call, a text, an
    email sent by hand), and what came of it. The note is about arranging care, not clinical."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="contact_attempts")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    outcome = models.CharField(max_length=20, choices=ContactOutcome.choices)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["patient", "-at", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} by {self.channel} at {self.at}"
