"""Reminders sent from the schedules page and the admins' failed ones: rows only, never a
message sent inline; every refusal a code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance
from treatments import services
from treatments.models import MAX_ATTEMPTS, Course, Reminder, ReminderKind, ReminderResult, State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


@pytest.fixture
def maintained(course, clinician, nurse, lot, consent_form):
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        # Recent enough that the session's own reminders (check-in, follow-up) are not due yet.
        start=timezone.localdate() - timedelta(days=20),
    )
    return Course.objects.get(pk=course.pk)


def test_send_now_makes_a_due_row_with_a_unique_key(maintained, nurse, sms_outbox):
    first = services.reminder_send_now(course=maintained, by=nurse)
    assert first.kind == ReminderKind.RETREATMENT_DUE
    assert first.due_at <= timezone.now() and first.result == ReminderResult.PENDING
    assert not sms_outbox
    assert services.reminder_sweep() == 1
    second = services.reminder_send_now(course=maintained, by=nurse)  # the first went
    assert second.key != first.key


def test_send_now_refuses_a_course_not_in_follow_up(course, nurse):
    with pytest.raises(DomainError) as error:
        services.reminder_send_now(course=course, by=nurse)
    assert error.value.codes == [Reason.REMINDER_NOT_IN_FOLLOW_UP]


def test_send_now_is_for_clinic_staff_only(maintained, clinic_admin, django_user_model):
    services.reminder_send_now(course=maintained, by=clinic_admin)  # admins review schedules
    operator = django_user_model.objects.create_superuser("ops", password="x")
    with pytest.raises(PermissionDenied):
        services.reminder_send_now(course=maintained, by=operator)


def failed(course):
    return Reminder.objects.create(
        course=course,
        kind=ReminderKind.RETREATMENT_DUE,
        due_at=timezone.now() - timedelta(days=1),
        key="f",
        attempts=MAX_ATTEMPTS,
        last_error="SMTPException",
    )


def test_a_failed_reminder_reads_failed_and_the_sweep_leaves_it(maintained):
    row = failed(maintained)
    assert row.result == ReminderResult.FAILED
    assert services.reminder_sweep() == 0


def test_retry_starts_again_and_the_sweep_sends_it(maintained, clinic_admin):
    row = services.reminder_retry(reminder=failed(maintained), by=clinic_admin)
    assert (row.attempts, row.last_error, row.result) == (0, "", ReminderResult.PENDING)
    assert services.reminder_sweep() == 1


def test_mark_handled_cancels_and_reads_handled(maintained, clinic_admin):
    row = services.reminder_mark_handled(reminder=failed(maintained), by=clinic_admin)
    assert row.result == ReminderResult.HANDLED
    with pytest.raises(DomainError) as error:
        services.reminder_retry(reminder=row, by=clinic_admin)
    assert error.value.codes == [Reason.REMINDER_NOT_FAILED]


def test_only_admins_handle_failed_reminders(maintained, nurse):
    row = failed(maintained)
    for service in (services.reminder_retry, services.reminder_mark_handled):
        with pytest.raises(PermissionDenied):
            service(reminder=row, by=nurse)
