"""A consent withdrawn as staff record it: the day and the reason, refused when it cannot be
true, what stops with it, and how the course's guards read it afterwards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from patients.models import AppointmentKind, AppointmentStatus
from patients.services import appointment_book
from tests.factories import PatientFactory, make_staff
from tests.journey import advance, record_session
from treatments import services
from treatments.models import Course, Reminder, ReminderKind, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

TOLD = "Phoned to say she does not want more injections."


@pytest.fixture
def at_injection(course, clinician, nurse, consent_form, lot) -> Course:
    """Step 3, the consent signed 10 days ago."""
    return advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=10),
    )


def withdraw(course: Course, by, **kwargs):
    return services.consent_withdraw(
        consent=course.consents.get(), by=by, reason=kwargs.pop("reason", TOLD), **kwargs
    )


def test_staff_record_the_day_and_reason_and_the_consent_stops_covering_sessions(
    at_injection, nurse, clinician, lot
):
    today = timezone.localdate()
    told_on = today - timedelta(days=2)
    consent = withdraw(at_injection, nurse, withdrawn_on=told_on)
    assert (consent.withdrawn_on, consent.withdrawn_by, consent.withdrawal_reason) == (
        told_on,
        nurse,
        TOLD,
    )
    course = Course.objects.get(pk=at_injection.pk)
    # The guard reads it from the day of the withdrawal, not before.
    assert course.has_valid_consent(told_on - timedelta(days=1))
    assert not course.has_valid_consent(told_on)
    assert course.state == State.INJECTION  # nothing moves by itself
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot)
    assert Reason.CONSENT_WITHDRAWN in refused.value.codes


def test_a_withdrawal_cannot_be_dated_in_the_future(at_injection, nurse):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(DomainError) as refused:
        withdraw(at_injection, nurse, withdrawn_on=tomorrow)
    assert refused.value.codes == [Reason.WITHDRAWAL_FUTURE]
    assert withdraw(at_injection, nurse, withdrawn_on=timezone.localdate()).withdrawn_on


def test_a_withdrawal_cannot_be_dated_before_the_signature(at_injection, nurse):
    signed = at_injection.consents.get().signed_on
    with pytest.raises(DomainError) as refused:
        withdraw(at_injection, nurse, withdrawn_on=signed - timedelta(days=1))
    assert refused.value.codes == [Reason.WITHDRAWAL_BEFORE_SIGNING]
    assert at_injection.consents.get().withdrawn_on is None
    assert not AuditEvent.objects.filter(action="consent.withdrawn").exists()
    assert withdraw(at_injection, nurse, withdrawn_on=signed).withdrawn_on == signed


def test_a_withdrawal_cannot_be_dated_before_a_session_given_on_it(
    course, clinician, nurse, consent_form, lot
):
    advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=10),
    )
    session_day = timezone.localdate() - timedelta(days=3)
    record_session(course, clinician=clinician, lot=lot, day=session_day)
    with pytest.raises(DomainError) as refused:
        withdraw(course, nurse, withdrawn_on=session_day - timedelta(days=1))
    assert refused.value.codes == [Reason.WITHDRAWAL_BEFORE_SESSION]
    # After the session, the same day: the patient said no once it was given.
    assert withdraw(course, nurse, withdrawn_on=session_day).withdrawn_on == session_day


def test_twice_is_refused_with_the_first_day(at_injection, nurse, clinician):
    withdraw(at_injection, nurse)
    with pytest.raises(DomainError) as refused:
        withdraw(at_injection, clinician, reason="again")
    assert refused.value.codes == [Reason.CONSENT_ALREADY_WITHDRAWN]
    assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1


def test_another_clinics_staff_are_refused(at_injection, other_clinic):
    stranger = make_staff(other_clinic, Role.NURSE)
    with pytest.raises(DomainError) as refused:
        withdraw(at_injection, stranger)
    assert refused.value.codes == [Reason.CONSENT_OF_ANOTHER_CLINIC]
    assert at_injection.consents.get().withdrawn_on is None


def test_reception_and_other_patients_may_not(at_injection, receptionist, clinic):
    with pytest.raises(PermissionDenied):
        withdraw(at_injection, receptionist)
    other = PatientFactory(clinic=clinic)
    from django.contrib.auth import get_user_model

    other.user = get_user_model().objects.create_user("someone", password="x-long-password-1")
    other.save()
    with pytest.raises(PermissionDenied):
        withdraw(at_injection, other.user)


def test_a_reason_is_required(at_injection, nurse):
    with pytest.raises(DomainError) as refused:
        withdraw(at_injection, nurse, reason="  ")
    assert refused.value.codes == [Reason.WITHDRAWAL_REASON_MISSING]


def test_the_patients_own_is_dated_today_and_leaves_visits_to_staff(at_injection, patient):
    from django.contrib.auth import get_user_model

    patient.user = get_user_model().objects.create_user("me", password="x-long-password-1")
    patient.save()
    with pytest.raises(PermissionDenied):
        withdraw(at_injection, patient.user, withdrawn_on=timezone.localdate())
    with pytest.raises(PermissionDenied):
        withdraw(at_injection, patient.user, cancel_visits=True)
    assert withdraw(at_injection, patient.user).withdrawn_on == timezone.localdate()


def pending(course: Course) -> set[str]:
    return set(
        Reminder.objects.filter(
            course=course, sent_at__isnull=True, cancelled_at__isnull=True
        ).values_list("kind", flat=True)
    )


def test_renewal_and_due_messages_stop_the_check_in_stays(
    course, clinician, nurse, consent_form, lot
):
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=20),
    )
    assert {ReminderKind.CONSENT_RENEWAL, ReminderKind.RETREATMENT_DUE} <= pending(course)
    before = pending(course)
    withdraw(course, nurse)
    after = pending(course)
    assert ReminderKind.CONSENT_RENEWAL not in after
    assert ReminderKind.RETREATMENT_DUE not in after
    assert after == before - {ReminderKind.CONSENT_RENEWAL, ReminderKind.RETREATMENT_DUE}


def book(patient, by, clinician, kind, days):
    return appointment_book(
        patient=patient,
        by=by,
        kind=kind,
        clinician=clinician,
        starts_at=timezone.now() + timedelta(days=days),
        minutes=30,
    )


def test_booked_injection_visits_are_cancelled_only_when_asked(
    at_injection, nurse, clinician, patient
):
    injection = book(patient, nurse, clinician, AppointmentKind.INJECTION, 7)
    later = book(patient, nurse, clinician, AppointmentKind.INJECTION, 14)
    follow_up = book(patient, nurse, clinician, AppointmentKind.FOLLOW_UP, 21)
    now = timezone.now()
    assert list(services.injection_visits_ahead(patient=patient, now=now)) == [injection, later]
    withdraw(at_injection, nurse, cancel_visits=True, now=now)
    for visit in (injection, later, follow_up):
        visit.refresh_from_db()
    assert injection.status == later.status == AppointmentStatus.CANCELLED
    assert injection.status_note == "Consent withdrawn"
    assert follow_up.status == AppointmentStatus.BOOKED
    event = AuditEvent.objects.get(action="consent.withdrawn")
    assert event.data["visits_cancelled"] == [injection.pk, later.pk]
    assert event.data["withdrawal_reason"] == ["", TOLD]


def test_visits_stay_booked_by_default(at_injection, nurse, clinician, patient):
    injection = book(patient, nurse, clinician, AppointmentKind.INJECTION, 7)
    withdraw(at_injection, nurse)
    injection.refresh_from_db()
    assert injection.status == AppointmentStatus.BOOKED
    assert "visits_cancelled" not in AuditEvent.objects.get(action="consent.withdrawn").data
