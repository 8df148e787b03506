"""Recording an attempt to reach a patient about their follow-up."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import refuse
from botoxcare.roles import Action, require

from ..models import ContactAttempt, ContactChannel, ContactOutcome, Patient
from ..reasons import Reason

NOTE_MAX = 500


def contact_attempt_record(
    *,
    patient: Patient,
    by: User,
    channel: str,
    outcome: str,
    note: str = "",
    at: datetime | None = None,
    now: datetime | None = None,
) -> ContactAttempt:
    """Record one attempt to reach `patient` (the caller has scoped the patient to the user's
    clinic). `at` defaults to now and may not be later than now. Raises PermissionDenied for a
    role that may not, DomainError for a time in the future or a note too long."""
    require(by, Action.RECORD_CONTACT_ATTEMPT)
    now = now or timezone.now()
    at = at or now
    channel, outcome = ContactChannel(channel), ContactOutcome(outcome)
    note = note.strip()
    if at > now:
        raise refuse(
            Reason.CONTACT_IN_FUTURE, "A contact attempt cannot be in the future.", field="at"
        )
    if len(note) > NOTE_MAX:
        raise refuse(
            Reason.CONTACT_NOTE_TOO_LONG,
            f"Keep the note to {NOTE_MAX} characters.",
            field="note",
        )
    with transaction.atomic():
        attempt = ContactAttempt.objects.create(
            patient=patient, by=by, at=at, channel=channel, outcome=outcome, note=note
        )
        log_action(
            "contact_attempt.recorded",
            user=by,
            patient=patient,
            target=attempt,
            data={"channel": channel, "outcome": outcome, "at": at},
        )
        return attempt
