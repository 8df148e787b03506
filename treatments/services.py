"""Writes of the treatment pathway. Each service is one transaction; a refused step changes
nothing and raises DomainError with the reasons a clinician reads on the page."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django_fsm import can_proceed

from botoxcare.errors import DomainError
from botoxcare.models import Clinic
from botoxcare.notify import patient_message_send
from botoxcare.roles import Action, require
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.services import appointment_book

from .models import (
    Aftercare,
    Consent,
    ConsentForm,
    ConsentMethod,
    Consultation,
    Course,
    CourseTransition,
    InjectionSession,
    InjectionSite,
    PreparationReview,
    ProductLot,
    Reminder,
    ReminderKind,
    ResponseReview,
    State,
)
from .pathway import retreatment_window

logger = logging.getLogger(__name__)

TRANSITION_ACTIONS: dict[str, Action] = {
    "complete_evaluation": Action.COMPLETE_EVALUATION,
    "decline": Action.COMPLETE_EVALUATION,
    "record_consent": Action.RECORD_CONSENT,
    "record_injection": Action.RECORD_INJECTION,
    "start_maintenance": Action.START_MAINTENANCE,
    "start_retreatment": Action.START_RETREATMENT,
    "renew_consent": Action.RENEW_CONSENT,
    "discontinue": Action.DISCONTINUE,
}


def _lock(course: Course) -> Course:
    """The course row, locked for this transaction and read afresh."""
    return (
        Course.objects.select_for_update(of=("self",))
        .select_related("patient__clinic__settings")
        .get(pk=course.pk)
    )


def _require_state(course: Course, *states: str) -> None:
    if course.state not in states:
        raise DomainError(
            f"This course is at '{course.get_state_display()}'; that cannot be recorded now."
        )


def _latest_session(course: Course) -> InjectionSession:
    session = course.latest_session
    if session is None:
        raise DomainError("No injection session has been recorded on this course.")
    return session


def _run_transition(
    course: Course, name: str, *, by: User, now: datetime, reason: str = ""
) -> None:
    """Fire transition `name` on a course locked by the caller, and log it in the same
    transaction. Raises DomainError (changing nothing) when the machine refuses."""
    require(by, TRANSITION_ACTIONS[name])
    method = getattr(course, name)
    course.judged_on = timezone.localdate(now)
    if not can_proceed(method, check_conditions=False):
        raise DomainError(
            f"This course is at '{course.get_state_display()}', where that step is not possible."
        )
    blockers = course.blockers(name)
    if blockers:
        raise DomainError("This step cannot be taken yet:", blockers)
    source = course.state
    method()
    course.save()
    CourseTransition.objects.create(
        course=course, name=name, source=source, target=course.state, by=by, at=now, reason=reason
    )


def course_transition(
    *,
    course: Course,
    name: str,
    by: User,
    reason: str = "",
    now: datetime | None = None,
) -> Course:
    """Run a transition that needs no record of its own: complete_evaluation, decline,
    record_consent, renew_consent. Two people pressing at once: the second is refused."""
    if name not in {"complete_evaluation", "decline", "record_consent", "renew_consent"}:
        raise DomainError("That step is recorded through its own form.")
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _run_transition(locked, name, by=by, now=now, reason=reason)
    return locked


def course_start(*, patient: Patient, by: User, started_on: date) -> Course:
    """A new course at step 1; refused while the patient has an active course."""
    require(by, Action.START_COURSE)
    with transaction.atomic():
        Patient.objects.select_for_update().get(pk=patient.pk)
        if patient.courses.exclude(state=State.DISCONTINUED).exists():
            raise DomainError("This patient already has an active treatment course.")
        return Course.objects.create(patient=patient, started_on=started_on)


def consultation_record(
    *,
    course: Course,
    by: User,
    seen_on: date,
    history: str,
    previous_preventives: str,
    failed_preventives_count: int = 0,
    headache_days_per_month: int | None = None,
    migraine_days_per_month: int | None = None,
    chronic_migraine_confirmed: bool,
    benefits_risks_discussed: bool,
    medication_overuse: str,
    decision: str,
    notes: str = "",
    now: datetime | None = None,
) -> Consultation:
    """Record step 1 by the clinician who saw the patient (the signed-in clinician)."""
    require(by, Action.RECORD_CONSULTATION)
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.CONSULTATION)
        return Consultation.objects.create(
            course=locked,
            clinician=by,
            seen_on=seen_on,
            history=history,
            previous_preventives=previous_preventives,
            failed_preventives_count=failed_preventives_count,
            headache_days_per_month=headache_days_per_month,
            migraine_days_per_month=migraine_days_per_month,
            chronic_migraine_confirmed=chronic_migraine_confirmed,
            benefits_risks_discussed=benefits_risks_discussed,
            medication_overuse=medication_overuse,
            decision=decision,
            notes=notes,
            recorded_at=now or timezone.now(),
        )


def consent_form_active(*, clinic: Clinic) -> ConsentForm:
    form = ConsentForm.objects.filter(clinic=clinic, is_active=True).order_by("-version").first()
    if form is None:
        raise DomainError("The clinic has no active consent form; an admin must add one.")
    return form


def consent_form_text(form: ConsentForm) -> str:
    """The exact text a signed copy keeps (and hashes)."""
    return f"{form.title}\n\n{form.body}"


def consent_record_paper(
    *,
    course: Course,
    by: User,
    signer_name: str,
    signed_on: date,
    now: datetime | None = None,
) -> Consent:
    """Record a consent the patient signed on paper, keeping the exact text and its hash."""
    require(by, Action.RECORD_CONSENT)
    now = now or timezone.now()
    if signed_on > timezone.localdate(now):
        raise DomainError("A consent cannot be dated in the future.")
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.CONSENT)
        form = consent_form_active(clinic=locked.patient.clinic)
        text = consent_form_text(form)
        return Consent.objects.create(
            course=locked,
            form=form,
            text=text,
            text_sha256=hashlib.sha256(text.encode()).hexdigest(),
            signer_name=signer_name,
            signed_on=signed_on,
            method=ConsentMethod.PAPER,
            recorded_by=by,
            recorded_at=now,
        )


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
        locked = _lock(course)
        _require_state(locked, State.CONSENT)
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
        if clear_flags and review.review_flags:
            review.flags_cleared_by = by
        review.save()
        return review


def product_lot_add(
    *,
    clinic: Clinic,
    by: User,
    lot_number: str,
    expiry_date: date,
    vial_units: int,
    product: str = "",
) -> ProductLot:
    require(by, Action.MANAGE_LOTS)
    try:
        with transaction.atomic():
            return ProductLot.objects.create(
                clinic=clinic,
                lot_number=lot_number.strip(),
                expiry_date=expiry_date,
                vial_units=vial_units,
                **({"product": product} if product else {}),
            )
    except IntegrityError as exc:
        raise DomainError(f"Lot {lot_number} is already in stock.") from exc


def injection_session_record(
    *,
    course: Course,
    by: User,
    session_date: date,
    lot: ProductLot,
    diluent_ml: Decimal,
    sites: Mapping[str, tuple[int, int]],
    units_discarded: int = 0,
    tolerability: str = "",
    now: datetime | None = None,
) -> InjectionSession:
    """Record step 3 and move the course to post-care, or change nothing and raise.

    `sites` maps a muscle of the clinic's protocol to (number of sites, units); muscles with
    no units are left out.
    """
    require(by, Action.RECORD_INJECTION)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.INJECTION)
        if lot.clinic_id != locked.patient.clinic_id:
            raise DomainError("That lot is not in this clinic's stock.")
        session = InjectionSession.objects.create(
            course=locked,
            session_date=session_date,
            clinician=by,
            lot=lot,
            vial_units=lot.vial_units,
            diluent_ml=diluent_ml,
            units_discarded=units_discarded,
            tolerability=tolerability,
            recorded_at=now,
        )
        InjectionSite.objects.bulk_create(
            InjectionSite(session=session, muscle=muscle, sites=n_sites, units=units)
            for muscle, (n_sites, units) in sites.items()
            if units or n_sites
        )
        _run_transition(locked, "record_injection", by=by, now=now)
        # A new cycle has begun: the last cycle's "you are due" reminder is moot.
        _cancel_pending_reminders(locked, now, kinds=[ReminderKind.RETREATMENT_DUE])
    return session


def aftercare_issue(
    *,
    course: Course,
    by: User,
    issued_on: date,
    comfort_measures: str,
    follow_up_at: datetime,
    follow_up_minutes: int = 20,
    now: datetime | None = None,
) -> Aftercare:
    """Record step 4: the clinic's instructions given to the patient and the follow-up booked."""
    require(by, Action.ISSUE_AFTERCARE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.POST_CARE)
        session = _latest_session(locked)
        if hasattr(session, "aftercare"):
            raise DomainError("Aftercare for this session has already been issued.")
        if issued_on < session.session_date:
            raise DomainError("Aftercare cannot be issued before the session it follows.")
        if follow_up_at <= now:
            raise DomainError("The follow-up visit must be booked in the future.")
        if timezone.localdate(follow_up_at) <= session.session_date:
            raise DomainError("The follow-up visit must be after the session date.")
        follow_up = appointment_book(
            patient=locked.patient,
            by=by,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=follow_up_at,
            minutes=follow_up_minutes,
        )
        return Aftercare.objects.create(
            course=locked,
            session=session,
            issued_on=issued_on,
            issued_by=by,
            comfort_measures=comfort_measures,
            instructions=locked.clinic_settings.aftercare_instructions,
            follow_up=follow_up,
            recorded_at=now,
        )


def aftercare_follow_up_rebook(
    *,
    course: Course,
    by: User,
    follow_up_at: datetime,
    follow_up_minutes: int = 20,
    now: datetime | None = None,
) -> Aftercare:
    """Book a new follow-up for the last session's aftercare when the first one was
    cancelled or missed, so the course can go on to maintenance."""
    require(by, Action.ISSUE_AFTERCARE)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.POST_CARE)
        session = _latest_session(locked)
        aftercare = locked.latest_aftercare
        if aftercare is None or aftercare.session_id != session.pk:
            raise DomainError("Issue the aftercare for this session first.")
        if aftercare.follow_up is not None and aftercare.follow_up.status == "booked":
            raise DomainError("A follow-up visit is already booked.")
        if follow_up_at <= now:
            raise DomainError("The follow-up visit must be booked in the future.")
        aftercare.follow_up = appointment_book(
            patient=locked.patient,
            by=by,
            kind=AppointmentKind.FOLLOW_UP,
            starts_at=follow_up_at,
            minutes=follow_up_minutes,
        )
        aftercare.save(update_fields=["follow_up"])
        return aftercare


def _reminder_at(day: date) -> datetime:
    """Reminders go out at 09:00 in the clinic's time zone."""
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def course_maintenance_start(*, course: Course, by: User, now: datetime | None = None) -> Course:
    """Step 5: and in the same transaction, the reminders this cycle will need."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _run_transition(locked, "start_maintenance", by=by, now=now)
        session = _latest_session(locked)
        aftercare = locked.latest_aftercare
        opens, _due = retreatment_window(session.session_date, locked.clinic_settings)
        _reminder_schedule(
            course=locked,
            kind=ReminderKind.RETREATMENT_DUE,
            due_at=_reminder_at(opens),
            key=f"retreatment:{session.pk}",
            now=now,
        )
        follow_up = aftercare.follow_up if aftercare is not None else None
        if follow_up is not None:
            _reminder_schedule(
                course=locked,
                kind=ReminderKind.FOLLOW_UP,
                appointment=follow_up,
                due_at=follow_up.starts_at - timedelta(days=1),
                key=f"follow_up:{follow_up.pk}",
                now=now,
            )
    return locked


def _reminder_schedule(
    *,
    course: Course,
    kind: str,
    due_at: datetime,
    key: str,
    now: datetime,
    appointment: Appointment | None = None,
) -> None:
    """One reminder row per cause (the key); none for a moment already past."""
    if due_at <= now:
        return
    Reminder.objects.get_or_create(
        key=key,
        defaults={"course": course, "kind": kind, "due_at": due_at, "appointment": appointment},
    )


def response_review_record(
    *,
    course: Course,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> ResponseReview:
    """Review the last cycle's response while the course waits for its next session (after a
    consent renewal, the review is recorded here rather than on the way out of maintenance)."""
    require(by, Action.START_RETREATMENT)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.INJECTION)
        return _review_create(
            locked,
            by=by,
            reviewed_on=reviewed_on,
            notes=notes,
            headache_days_per_month=headache_days_per_month,
            override_reason=override_reason,
            now=now,
        )


def _review_create(
    course: Course,
    *,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None,
    override_reason: str,
    now: datetime,
) -> ResponseReview:
    session = _latest_session(course)
    if reviewed_on < session.session_date:
        raise DomainError("The review cannot be dated before the session it reviews.")
    return ResponseReview.objects.create(
        course=course,
        session=session,
        reviewed_on=reviewed_on,
        reviewed_by=by,
        headache_days_per_month=headache_days_per_month,
        notes=notes,
        override_reason=override_reason.strip(),
        recorded_at=now,
    )


def retreatment_start(
    *,
    course: Course,
    by: User,
    reviewed_on: date,
    notes: str,
    headache_days_per_month: int | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> ResponseReview:
    """Review the last cycle's response and open a new cycle (back to step 3)."""
    require(by, Action.START_RETREATMENT)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        _require_state(locked, State.MAINTENANCE)
        review = _review_create(
            locked,
            by=by,
            reviewed_on=reviewed_on,
            notes=notes,
            headache_days_per_month=headache_days_per_month,
            override_reason=override_reason,
            now=now,
        )
        _run_transition(locked, "start_retreatment", by=by, now=now, reason=override_reason)
        _cancel_pending_reminders(locked, now, kinds=[ReminderKind.RETREATMENT_DUE])
    return review


def course_discontinue(
    *,
    course: Course,
    by: User,
    reason: str,
    detail: str = "",
    now: datetime | None = None,
) -> Course:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(course)
        locked.discontinue_reason = reason
        locked.discontinue_detail = detail
        _run_transition(
            locked,
            "discontinue",
            by=by,
            now=now,
            reason=f"{locked.get_discontinue_reason_display()}. {detail}".strip(),
        )
        _cancel_pending_reminders(locked, now)
    return locked


def _cancel_pending_reminders(
    course: Course, now: datetime, kinds: list[str] | None = None
) -> None:
    pending = Reminder.objects.filter(
        course=course, sent_at__isnull=True, cancelled_at__isnull=True
    )
    if kinds:
        pending = pending.filter(kind__in=kinds)
    pending.update(cancelled_at=now)


REMINDER_TEXT = {
    ReminderKind.RETREATMENT_DUE: (
        "Time to book your next appointment",
        "Hello from {sender}. You are due for your next appointment. "
        "Please call us on {phone} to book it.",
    ),
    ReminderKind.FOLLOW_UP: (
        "Your appointment tomorrow",
        "Hello from {sender}. This is a reminder of your appointment tomorrow at {time}. "
        "Please call us on {phone} if you cannot come.",
    ),
}

MAX_ATTEMPTS = 8
RETRY_AFTER = timedelta(minutes=5)  # doubled after each failure: 5, 10, 20 … 320 minutes
CLAIM_TIMEOUT = timedelta(minutes=10)


def reminder_sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Send every reminder due by `now`; returns how many were sent.

    A row is claimed in a short transaction (skip_locked, so two sweepers never take the same
    one), sent outside any transaction (a slow mail server never holds a database lock), then
    marked sent. A failure is logged by id and retried later with a growing delay, up to
    MAX_ATTEMPTS; a claim left by a crashed sweeper is taken over after CLAIM_TIMEOUT, so a
    message may, rarely, go twice but is never lost silently.
    """
    now = now or timezone.now()
    sent = 0
    for _ in range(limit):
        reminder = _reminder_claim(now)
        if reminder is None:
            break
        appointment = reminder.appointment
        if appointment is not None and (
            appointment.status != AppointmentStatus.BOOKED or appointment.starts_at <= now
        ):
            Reminder.objects.filter(pk=reminder.pk).update(cancelled_at=now, claimed_at=None)
            continue
        patient = reminder.course.patient
        subject, body = _reminder_text(reminder)
        try:
            patient_message_send(patient=patient, subject=subject, body=body)
        except Exception as exc:  # one row's failure never stops the sweep
            Reminder.objects.filter(pk=reminder.pk).update(
                claimed_at=None,
                last_error=type(exc).__name__[:200],
                due_at=now + RETRY_AFTER * 2 ** (reminder.attempts - 1),
            )
            logger.warning("reminder %s not sent: %s", reminder.pk, type(exc).__name__)
            continue
        Reminder.objects.filter(pk=reminder.pk).update(sent_at=now, claimed_at=None)
        sent += 1
    return sent


def _reminder_claim(now: datetime) -> Reminder | None:
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("course__patient__clinic__settings", "appointment")
            .filter(
                Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT),
                sent_at__isnull=True,
                cancelled_at__isnull=True,
                due_at__lte=now,
                attempts__lt=MAX_ATTEMPTS,
            )
            .order_by("due_at", "id")
            .first()
        )
        if reminder is not None:
            reminder.claimed_at = now
            reminder.attempts += 1
            reminder.save(update_fields=["claimed_at", "attempts"])
        return reminder


def _reminder_text(reminder: Reminder) -> tuple[str, str]:
    clinic = reminder.course.patient.clinic
    subject, template = REMINDER_TEXT[ReminderKind(reminder.kind)]
    appointment = reminder.appointment
    body = template.format(
        sender=clinic.settings.reminder_sender,
        phone=clinic.phone or "the clinic",
        time=timezone.localtime(appointment.starts_at).strftime("%H:%M") if appointment else "",
    )
    return subject, body
