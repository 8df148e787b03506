"""A signed consent withdrawn: by the patient in the portal, or recorded by staff when the
patient tells them (with the day they said it and their reason).

The course does not move: from the day of the withdrawal the guards read the consent as not
valid (`Course.has_valid_consent`), so no session can be recorded on it and no re-treatment
started; the patient page then offers a new consent (`renew_consent`, from step 3 or 5) or
discontinuing, both through the machine.

What stops with it: the consent's renewal message (nothing left to renew) and any "you are
due for re-treatment" message not yet sent. Booked injection visits stay booked unless staff
ask to cancel them here (the visit may be where a new consent is discussed); a booked visit's
own reminder follows its booking. The check-in after a session and the follow-up visit's
reminder are about care already given, and stay.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from botoxcare.audit import changes, log_action, snapshot
from botoxcare.errors import Refusal, raise_if, refuse
from botoxcare.roles import Action, require
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.selectors import appointments_upcoming

from ..models import Consent, ReminderKind
from ..pathway import day
from ..reasons import Reason
from .reminders import appointment_close, reminders_cancel

WITHDRAWN_FIELDS = ("withdrawn_on", "withdrawn_at", "withdrawn_by_id", "withdrawal_reason")
# Nothing to renew, nothing to be due for, once the patient has said no.
STOPPED_REMINDERS = (ReminderKind.CONSENT_RENEWAL, ReminderKind.RETREATMENT_DUE)
VISIT_CANCEL_REASON = "Consent withdrawn"


def injection_visits_ahead(*, patient: Patient, now: datetime) -> QuerySet[Appointment]:
    """The patient's injection visits still booked from `now` on, soonest first (what the
    withdrawal form offers to cancel)."""
    return (
        appointments_upcoming(patient, now=now)
        .filter(kind=AppointmentKind.INJECTION)
        .order_by("starts_at", "pk")
    )


def withdrawal_refusals(
    consent: Consent, *, by: User, withdrawn_on: date, today: date, last_session: date | None
) -> list[Refusal]:
    """Why a withdrawal dated `withdrawn_on` cannot be recorded on `consent` (empty: it can).
    `last_session`: the latest session of the consent's course, if any."""
    profile = getattr(by, "staff_profile", None)
    if profile is not None and profile.clinic_id != consent.course.patient.clinic_id:
        return [Refusal(Reason.CONSENT_OF_ANOTHER_CLINIC, "That consent is not this clinic's.")]
    if consent.withdrawn_on is not None:
        return [
            Refusal(
                Reason.CONSENT_ALREADY_WITHDRAWN,
                f"This consent was already withdrawn on {day(consent.withdrawn_on)}.",
            )
        ]
    if withdrawn_on > today:
        return [
            Refusal(
                Reason.WITHDRAWAL_FUTURE,
                "A withdrawal cannot be dated in the future.",
                field="withdrawn_on",
            )
        ]
    if withdrawn_on < consent.signed_on:
        return [
            Refusal(
                Reason.WITHDRAWAL_BEFORE_SIGNING,
                f"The consent was signed on {day(consent.signed_on)}; it cannot be withdrawn "
                "before that.",
                field="withdrawn_on",
            )
        ]
    given = last_session is not None and consent.signed_on <= last_session
    if given and last_session is not None and withdrawn_on < last_session:
        return [
            Refusal(
                Reason.WITHDRAWAL_BEFORE_SESSION,
                f"A session was given on this consent on {day(last_session)}; the withdrawal "
                "cannot be dated before it.",
                field="withdrawn_on",
            )
        ]
    return []


def consent_withdraw(
    *,
    consent: Consent,
    by: User,
    reason: str,
    withdrawn_on: date | None = None,
    cancel_visits: bool = False,
    now: datetime | None = None,
) -> Consent:
    """Withdraw a consent, by the patient themself (dated today) or by staff for them, with the
    reason they gave and the day they gave it (`withdrawn_on`, today by default; not in the
    future, not before the signature or a session given on it). With `cancel_visits`, the
    patient's injection visits booked ahead are cancelled in the same transaction.

    Raises PermissionDenied for a role that may not record consent (and for another patient),
    DomainError for the refusals of `withdrawal_refusals` or a missing reason; a refusal
    changes nothing."""
    own = by.pk == consent.course.patient.user_id
    # The patient's own withdrawal is dated the day they make it and leaves visits to staff.
    if not own or withdrawn_on is not None or cancel_visits:
        require(by, Action.RECORD_CONSENT)
    if cancel_visits:
        require(by, Action.BOOK_APPOINTMENT)
    if not reason.strip():
        raise refuse(
            Reason.WITHDRAWAL_REASON_MISSING, "Please say why consent is withdrawn.", field="reason"
        )
    now = now or timezone.now()
    today = timezone.localdate(now)
    withdrawn_on = withdrawn_on or today
    with transaction.atomic():
        locked = (
            Consent.objects.select_for_update(of=("self",))
            .select_related("course__patient")
            .get(pk=consent.pk)
        )
        course = locked.course
        last = course.sessions.order_by("-session_date").values_list("session_date", flat=True)
        raise_if(
            withdrawal_refusals(
                locked, by=by, withdrawn_on=withdrawn_on, today=today, last_session=last.first()
            ),
            summary="The withdrawal cannot be recorded:",
        )
        before = snapshot(locked, WITHDRAWN_FIELDS)
        locked.withdrawn_on, locked.withdrawn_at, locked.withdrawn_by = withdrawn_on, now, by
        locked.withdrawal_reason = reason.strip()
        locked.save(update_fields=[*(f.removesuffix("_id") for f in WITHDRAWN_FIELDS)])
        cancelled = []
        if cancel_visits:
            for visit in injection_visits_ahead(patient=course.patient, now=now):
                appointment_close(
                    appointment=visit,
                    by=by,
                    status=AppointmentStatus.CANCELLED,
                    reason=VISIT_CANCEL_REASON,
                    now=now,
                )
                cancelled.append(visit.pk)
        log_action(
            "consent.withdrawn",
            user=by,
            patient=course.patient,
            target=locked,
            data={
                **changes(before, snapshot(locked, WITHDRAWN_FIELDS)),
                **({"visits_cancelled": cancelled} if cancelled else {}),
            },
        )
        reminders_cancel(course=course, now=now, kinds=STOPPED_REMINDERS)
    return locked
