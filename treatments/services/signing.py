"""Consent signed by the patient in the portal: staff send it, the patient reads and signs it
(either side may withdraw it: services/withdrawal.py). The signed copy keeps the exact text
shown, its hash, the statements confirmed, and when and from where it was signed; later edits
of the clinic's form never change it."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import DomainError, Refusal, refuse
from botoxcare.messaging import message_send
from botoxcare.roles import Action, require
from patients.models import Patient

from ..models import (
    Consent,
    ConsentMethod,
    ConsentRequest,
    Course,
    DocumentKind,
    State,
)
from ..pathway import consent_waiting
from ..reasons import Reason
from .consent import consent_form_active, consent_form_text, consent_text_hash
from .course import course_lock, require_state
from .documents import document_queue
from .reminders import consent_renewal_schedule

logger = logging.getLogger(__name__)

SEND_SUBJECT = "A document to read in your portal"
SEND_BODY = (
    "Hello from {sender}. There is a document for you to read and sign in your patient "
    "portal. Please sign in to read it."
)


def consent_shown_text(request: ConsentRequest) -> str:
    """The exact text the patient reads before signing: the clinic's form, the preparation
    advice recorded for them, and the statements they confirm."""
    parts = [consent_form_text(request.form)]
    preparation = request.course.latest_preparation
    if preparation is not None and preparation.advice.strip():
        parts.append(f"Your preparation advice\n\n{preparation.advice.strip()}")
    statements = "\n".join(f"- {line}" for line in request.form.statement_list)
    parts.append(f"I confirm that\n\n{statements}")
    return "\n\n".join(parts)


def consent_request_send(
    *, course: Course, by: User, now: datetime | None = None
) -> ConsentRequest:
    """Send the clinic's current consent to the patient to sign in the portal (step 2). The
    patient is told by their usual channel that a document waits, in neutral words."""
    require(by, Action.RECORD_CONSENT)
    now = now or timezone.now()
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.CONSENT)
        waiting = next((r for r in locked.consent_requests.all() if r.is_open), None)
        if waiting is not None:
            raise DomainError(_waiting(waiting))
        form = consent_form_active(clinic=locked.patient.clinic)
        request = ConsentRequest.objects.create(course=locked, form=form, sent_by=by, sent_at=now)
        log_action(
            "consent_request.sent",
            user=by,
            patient=locked.patient,
            target=request,
            data={"form": form.pk, "version": form.version},
        )
        patient_id = locked.patient_id
        transaction.on_commit(lambda: _tell_patient(patient_id))
    return request


def _waiting(request: ConsentRequest) -> Refusal:
    viewed = timezone.localdate(request.viewed_at) if request.viewed_at else None
    return consent_waiting(timezone.localdate(request.sent_at), viewed)


def _tell_patient(patient_id: int) -> None:
    """After commit: a short neutral message; a patient we cannot reach still sees it in the
    portal, and staff see the request waiting."""
    patient = Patient.objects.select_related("clinic__settings").get(pk=patient_id)
    body = SEND_BODY.format(sender=patient.clinic.settings.reminder_sender)
    try:
        message_send(to=patient, subject=SEND_SUBJECT, body=body)
    except Exception as exc:  # the request stands; staff can phone the patient
        logger.warning("consent notice for patient %s not sent: %s", patient_id, type(exc).__name__)


def consent_request_viewed(*, request: ConsentRequest, now: datetime | None = None) -> None:
    """The first time the patient opens it. (Who opened it is the request's signed-in user:
    the event takes them from the request being served.)"""
    if request.viewed_at is None:
        with transaction.atomic():
            first = ConsentRequest.objects.filter(pk=request.pk, viewed_at__isnull=True).update(
                viewed_at=now or timezone.now()
            )
            if first:
                log_action(
                    "consent_request.viewed",
                    patient=request.course.patient,
                    target=request,
                )


def consent_sign(
    *,
    request: ConsentRequest,
    user: User,
    typed_name: str,
    confirmed: Sequence[str],
    address: str | None,
    agent: str,
    now: datetime | None = None,
) -> Consent:
    """The patient signs: their full name typed, every statement confirmed. Refused, with
    nothing written, unless the request is still open and its course still at step 2."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = ConsentRequest.objects.select_for_update().get(pk=request.pk)
        course = course_lock(locked.course)
        patient = course.patient
        if patient.user_id != user.pk:
            raise PermissionDenied("Only the patient signs their consent.")
        if not locked.is_open:
            raise refuse(
                Reason.CONSENT_REQUEST_CLOSED, "This consent is no longer waiting to be signed."
            )
        require_state(course, State.CONSENT)
        found: list[Refusal] = []
        if _plain(typed_name) != _plain(patient.full_name):
            found.append(
                Refusal(
                    Reason.SIGNER_NAME_MISMATCH,
                    f"Type your full name as the clinic has it: {patient.full_name}.",
                    field="typed_name",
                )
            )
        if set(confirmed) != set(locked.form.statement_list):
            found.append(
                Refusal(
                    Reason.STATEMENTS_NOT_CONFIRMED,
                    "Please confirm every statement to sign.",
                    field="statements",
                )
            )
        if found:
            raise DomainError(*found)
        text = consent_shown_text(locked)
        consent = Consent.objects.create(
            course=course,
            form=locked.form,
            text=text,
            text_sha256=consent_text_hash(text),
            signer_name=typed_name.strip(),
            signed_on=timezone.localdate(now),
            signed_at=now,
            method=ConsentMethod.ELECTRONIC,
            statements=list(locked.form.statement_list),
            signer_address=address or None,
            signer_agent=agent[:300],
            recorded_by=user,
            recorded_at=now,
        )
        locked.consent = consent
        locked.save(update_fields=["consent"])
        log_action(
            "consent.signed",
            user=user,
            patient=patient,
            target=consent,
            address=address or None,
            data={
                "method": consent.method,
                "request": locked.pk,
                "form": locked.form_id,
                "version": locked.form.version,
                "text_sha256": consent.text_sha256,
            },
        )
        consent_renewal_schedule(course=course, consent=consent, now=now)
        # The signed consent is final: its PDF is rendered once, after the commit.
        document_queue(kind=DocumentKind.CONSENT, pk=consent.pk)
    return consent


def _plain(name: str) -> str:
    return " ".join(name.split()).casefold()
