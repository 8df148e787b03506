""" "Call me" requests: a visitor's request, kept within limits; staff claim it, call, and
record what happened; a request can be matched to a patient."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require

from ..callbacks import address_hash, phone_digits
from ..models import (
    CallbackOutcome,
    CallbackOutcomeKind,
    CallbackRequest,
    CallbackStatus,
    Patient,
)
from ..reasons import Reason

# A claim left by someone who went home no longer holds the request.
CLAIM_TIMEOUT = timedelta(minutes=30)


def callback_request(
    *,
    clinic: Clinic,
    name: str,
    phone: str,
    topic: str,
    contact_consent: bool,
    best_times: str = "",
    message: str = "",
    address: str | None,
    now: datetime | None = None,
) -> CallbackRequest:
    """Store a visitor's request. Over the limits (requests from one address in the last hour,
    for one phone number in the last day) it is refused and nothing is stored."""
    now = now or timezone.now()
    digits = phone_digits(phone)
    hashed = address_hash(address, settings.SECRET_KEY)
    with transaction.atomic():
        recent = CallbackRequest.objects.filter(created_at__gt=now - timedelta(hours=1))
        if recent.filter(address_hash=hashed).count() >= settings.CALLBACK_LIMIT_PER_ADDRESS:
            raise refuse(
                Reason.TOO_MANY_FROM_ADDRESS,
                "We have had several requests from here in the last hour. Please call the "
                "clinic instead, or try again later.",
            )
        today = CallbackRequest.objects.filter(created_at__gt=now - timedelta(days=1))
        if today.filter(phone_digits=digits).count() >= settings.CALLBACK_LIMIT_PER_PHONE:
            raise refuse(
                Reason.TOO_MANY_FOR_PHONE,
                "We already have requests to call this number; we will call you.",
                field="phone",
            )
        callback = CallbackRequest.objects.create(
            clinic=clinic,
            name=name.strip(),
            phone=phone.strip(),
            phone_digits=digits,
            best_times=best_times.strip(),
            topic=topic,
            message=message.strip(),
            contact_consent=contact_consent,
            address_hash=hashed,
            created_at=now,
        )
        # A visitor, not a user: the event names no one, only the request.
        log_action(
            "callback.requested",
            clinic=clinic,
            target=callback,
            data={"topic": topic},
            address=address,
        )
        return callback


def _locked(callback: CallbackRequest) -> CallbackRequest:
    return CallbackRequest.objects.select_for_update().get(pk=callback.pk)


def callback_claim(
    *, callback: CallbackRequest, by: User, now: datetime | None = None
) -> CallbackRequest:
    """Take a request to call: one person at a time (a claim older than CLAIM_TIMEOUT
    lapses). Two people claiming at once: the second is refused."""
    require(by, Action.HANDLE_CALLBACKS)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(callback)
        if locked.status == CallbackStatus.DONE:
            raise refuse(Reason.CALLBACK_DONE, "This request has already been dealt with.")
        held = (
            locked.status == CallbackStatus.CLAIMED
            and locked.claimed_by_id not in (None, by.pk)
            and locked.claimed_at is not None
            and locked.claimed_at > now - CLAIM_TIMEOUT
        )
        if held:
            who = locked.claimed_by.get_full_name() if locked.claimed_by else "someone"
            raise refuse(Reason.CALLBACK_TAKEN, f"{who or 'Someone'} is calling already.")
        status = locked.status
        locked.status = CallbackStatus.CLAIMED
        locked.claimed_by, locked.claimed_at = by, now
        locked.save(update_fields=["status", "claimed_by", "claimed_at"])
        log_action(
            "callback.claimed",
            user=by,
            patient=locked.patient_id,
            clinic=locked.clinic_id,
            target=locked,
            data={"status": [status, locked.status]},
        )
    return locked


def callback_outcome_record(
    *,
    callback: CallbackRequest,
    by: User,
    kind: str,
    note: str = "",
    now: datetime | None = None,
) -> CallbackOutcome:
    """Record a call by the person who claimed the request. "No answer" puts it back in the
    queue for another try; any other outcome closes it."""
    require(by, Action.HANDLE_CALLBACKS)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked(callback)
        if locked.status != CallbackStatus.CLAIMED or locked.claimed_by_id != by.pk:
            raise refuse(Reason.CALLBACK_NOT_CLAIMED, "Claim the request before recording a call.")
        outcome = CallbackOutcome.objects.create(
            request=locked, kind=kind, note=note.strip(), by=by, at=now
        )
        again = kind == CallbackOutcomeKind.NO_ANSWER
        locked.status = CallbackStatus.OPEN if again else CallbackStatus.DONE
        locked.claimed_by, locked.claimed_at = None, None
        locked.save(update_fields=["status", "claimed_by", "claimed_at"])
        log_action(
            "callback.call_recorded",
            user=by,
            patient=locked.patient_id,
            clinic=locked.clinic_id,
            target=outcome,
            data={"outcome": kind, "status": [CallbackStatus.CLAIMED, locked.status]},
        )
    return outcome


def callback_match(*, callback: CallbackRequest, patient: Patient, by: User) -> CallbackRequest:
    """Link a request to the clinic's patient it came from (or was registered from it)."""
    require(by, Action.HANDLE_CALLBACKS)
    if patient.clinic_id != callback.clinic_id:
        raise refuse(
            Reason.PATIENT_OF_ANOTHER_CLINIC, "That patient is not registered at this clinic."
        )
    with transaction.atomic():
        locked = _locked(callback)
        earlier = locked.patient_id
        locked.patient = patient
        locked.save(update_fields=["patient"])
        log_action(
            "callback.matched",
            user=by,
            patient=patient,
            target=locked,
            data={"patient": [earlier, patient.pk]},
        )
    return locked
