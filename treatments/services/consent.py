"""Step 2's records: the signed consent and the preparation review."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import DomainError, refuse
from botoxcare.models import Clinic
from botoxcare.roles import Action, require, user_can

from ..care_dates import care_date_check
from ..models import (
    PREPARATION_FLAGS,
    Consent,
    ConsentForm,
    ConsentMethod,
    ConsentRequest,
    Course,
    DocumentKind,
    InjectionSession,
    PreparationReview,
    State,
)
from ..pathway import consent_problem
from ..reasons import Reason
from .course import course_lock, require_state
from .documents import document_queue
from .reminders import consent_renewal_schedule


def consent_form_active(*, clinic: Clinic) -> ConsentForm:
    form = ConsentForm.objects.filter(clinic=clinic, is_active=True).order_by("-version").first()
    if form is None:
        raise refuse(
            Reason.NO_CONSENT_FORM, "The clinic has no active consent form; an admin must add one."
        )
    return form


def consent_form_text(form: ConsentForm) -> str:
    """The exact text a signed copy keeps (and hashes)."""
    return f"{form.title}\n\n{form.body}"


def consent_text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def consent_record_paper(
    *,
    course: Course,
    by: User,
    signer_name: str,
    signed_on: date,
    now: datetime | None = None,
) -> Consent:
    """Record a consent the patient signed on paper, keeping the exact text and its hash; its
    PDF is made after the commit (services/documents.py)."""
    require(by, Action.RECORD_CONSENT)
    now = now or timezone.now()
    if signed_on > timezone.localdate(now):
        raise refuse(
            Reason.CONSENT_FUTURE, "A consent cannot be dated in the future.", field="signed_on"
        )
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.CONSENT)
        care_date_check(locked, signed_on, field="signed_on")
        form = consent_form_active(clinic=locked.patient.clinic)
        text = consent_form_text(form)
        consent = Consent(
            course=locked,
            form=form,
            text=text,
            text_sha256=consent_text_hash(text),
            signer_name=signer_name,
            signed_on=signed_on,
            method=ConsentMethod.PAPER,
            recorded_by=by,
            recorded_at=now,
        )
        # A consent whose validity has already run out covers nothing: refuse it now rather
        # than show it as signed.
        problem = consent_problem(
            consent, timezone.localdate(now), locked.clinic_settings.consent_valid_days
        )
        if problem is not None:
            raise DomainError(replace(problem, field="signed_on"))
        # Signed on paper instead: a consent still waiting in the portal is withdrawn from it.
        withdrawn = ConsentRequest.objects.filter(
            course=locked, consent__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        consent.save()
        log_action(
            "consent.recorded",
            user=by,
            patient=locked.patient,
            target=consent,
            data={
                "method": consent.method,
                "signed_on": signed_on,
                "form": form.pk,
                "version": form.version,
                "requests_cancelled": withdrawn,
            },
        )
        consent_renewal_schedule(course=locked, consent=consent, now=now)
        # The signed consent is final: its PDF is rendered once, after the commit.
        document_queue(kind=DocumentKind.CONSENT, pk=consent.pk)
        return consent


def preparation_record(
    *,
    course: Course,
    by: User,
    reviewed_on: date,
    advice: str,
    current_medicines: str = "",
    flags: Mapping[str, bool],
    clear_flags: bool = False,
    now: datetime | None = None,
) -> PreparationReview:
    """Record the medicines review of step 2. Clearing flagged medicines is a clinician's call."""
    require(by, Action.RECORD_PREPARATION)
    if clear_flags:
        require(by, Action.CLEAR_PREPARATION_FLAGS)
    with transaction.atomic():
        locked = course_lock(course)
        require_state(locked, State.CONSENT)
        care_date_check(locked, reviewed_on, field="reviewed_on")
        review = PreparationReview(
            course=locked,
            reviewed_on=reviewed_on,
            reviewed_by=by,
            current_medicines=current_medicines,
            advice=advice,
            recorded_at=now or timezone.now(),
            **{name: bool(value) for name, value in flags.items()},
        )
        # A session of an earlier course of ours within 4 months is "other botulinum toxin
        # in the last 4 months" too, whatever was ticked: a clinician must clear it.
        if (
            InjectionSession.objects.filter(
                course__patient=locked.patient,
                session_date__gt=reviewed_on
                - timedelta(days=locked.clinic_settings.recent_toxin_days),
                session_date__lte=reviewed_on,
            )
            .exclude(course=locked)
            .exists()
        ):
            review.recent_toxin = True
        # A flag raised earlier and never cleared stays raised until a clinician looks at it:
        # only someone who may clear flags may untick one.
        earlier = locked.latest_preparation
        if (
            earlier is not None
            and earlier.flags_cleared_by_id is None
            and not user_can(by, Action.CLEAR_PREPARATION_FLAGS)
        ):
            for name in PREPARATION_FLAGS:
                if getattr(earlier, name):
                    setattr(review, name, True)
        if clear_flags and review.review_flags:
            review.flags_cleared_by = by
        review.save()
        log_action(
            "preparation.recorded",
            user=by,
            patient=locked.patient,
            target=review,
            data={
                "reviewed_on": reviewed_on,
                "flags": [name for name in PREPARATION_FLAGS if getattr(review, name)],
                "flags_cleared": review.flags_cleared_by_id is not None,
            },
        )
        return review
