"""The audit events of visits, aftercare, reviews and reminders: booked, moved (by staff or by
the patient), closed; reminders asked for, retried, handled, and the sweep's own (no user)."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.audit import actions, only_event
from tests.journey import advance
from treatments import services
from treatments.models import MAX_ATTEMPTS, Course, Reminder, ReminderKind, State
from treatments.services import sweep

from .test_self_booking import on, self_book

pytestmark = pytest.mark.django_db


def soon(days: int = 7, hour: int = 10):
    moment = timezone.localtime() + timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def book(patient, by, clinician, starts_at=None):
    return services.visit_book(
        patient=patient,
        by=by,
        kind="review",
        starts_at=starts_at or soon(),
        minutes=30,
        clinician=clinician,
    )


class TestVisits:
    def test_a_booking_names_who_booked(self, patient, receptionist, clinician):
        visit = book(patient, receptionist, clinician)
        event = only_event("appointment.booked")
        assert (event.user, event.patient_id, event.target_id) == (
            receptionist,
            patient.pk,
            visit.pk,
        )

    def test_a_move_writes_the_close_the_booking_and_the_move(
        self, patient, receptionist, nurse, clinician
    ):
        first = book(patient, receptionist, clinician)
        with pytest.raises(DomainError):
            services.visit_move(appointment=first, by=nurse, starts_at=soon(8), reason=" ")
        assert actions() == ["appointment.booked"]
        moved = services.visit_move(
            appointment=first, by=nurse, starts_at=soon(8), reason="Clinic closed"
        )
        assert actions()[1:] == [
            "appointment.status_changed",
            "appointment.booked",
            "appointment.moved",
        ]
        event = only_event("appointment.moved")
        assert (event.user, event.patient_id, event.target_id) == (nurse, patient.pk, moved.pk)
        assert event.data["appointment"] == [first.pk, moved.pk]
        # Moments in UTC, whatever zone they were read in (in summer London is UTC+1).
        assert event.data["starts_at"] == [
            first.starts_at.astimezone(UTC).isoformat(),
            moved.starts_at.astimezone(UTC).isoformat(),
        ]
        assert event.data["reason"] == "Moved: Clinic closed"
        closed = only_event("appointment.status_changed")
        assert (closed.user, closed.data["status"]) == (nurse, ["booked", "cancelled"])

    def test_closing_a_days_visits_writes_one_event_each(
        self, clinic, receptionist, nurse, clinician
    ):
        from tests.factories import PatientFactory

        past = timezone.now() - timedelta(hours=2)
        visits = []
        for n in range(2):
            patient = PatientFactory(clinic=clinic)
            visits.append(book(patient, receptionist, None, starts_at=past - timedelta(hours=n)))
        assert services.visits_close(appointments=visits, by=nurse, status="attended") == 2
        events = AuditEvent.objects.filter(action="appointment.status_changed")
        assert sorted(e.target_id for e in events) == sorted(v.pk for v in visits)
        assert {(e.user_id, tuple(e.data["status"])) for e in events} == {
            (nurse.pk, ("booked", "attended"))
        }

    def test_the_patients_own_move_names_them(
        self, clinic, clinician, nurse, lot, consent_form, receptionist
    ):
        from tests.factories import PatientFactory
        from tests.treatments.services.test_self_booking import SESSION

        me = PatientFactory(clinic=clinic, responsible_clinician=clinician)
        me.user = get_user_model().objects.create_user("me", password="x-long-password-1")
        me.save()
        course = Course.objects.get(patient=me)
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=SESSION)
        first = self_book(me, on(72, 11), clinician, today=60)
        moved = self_book(me, on(71, 14), clinician, today=60)
        booked = AuditEvent.objects.filter(action="appointment.booked", user=me.user)
        assert sorted(e.target_id for e in booked) == sorted([first.pk, moved.pk])
        event = only_event("appointment.moved")
        assert (event.user, event.patient_id) == (me.user, me.pk)
        assert event.data["appointment"] == [first.pk, moved.pk]


class TestAftercareAndReview:
    @pytest.fixture
    def after_session(self, course, clinician, nurse, lot, consent_form):
        start = timezone.localdate() - timedelta(days=3)
        return advance(
            course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot, start=start
        )

    def test_issue_and_rebook(self, after_session, nurse, receptionist, clinician):
        course = after_session
        with pytest.raises(DomainError):
            services.aftercare_issue(
                course=course,
                by=nurse,
                issued_on=timezone.localdate(),
                comfort_measures="Ice",
                follow_up_at=timezone.now() - timedelta(hours=1),
            )
        assert not AuditEvent.objects.filter(action__startswith="aftercare.").exists()
        aftercare = services.aftercare_issue(
            course=course,
            by=nurse,
            issued_on=timezone.localdate(),
            comfort_measures="Ice",
            follow_up_at=soon(),
        )
        issued = only_event("aftercare.issued")
        assert (issued.user, issued.patient_id, issued.target_id) == (
            nurse,
            course.patient_id,
            aftercare.pk,
        )
        assert issued.data["follow_up"] == aftercare.follow_up_id
        first = aftercare.follow_up
        services.appointment_close(
            appointment=first, by=receptionist, status="cancelled", reason="Ill"
        )
        rebooked = services.aftercare_follow_up_rebook(
            course=course, by=nurse, follow_up_at=soon(9)
        )
        event = only_event("aftercare.follow_up_rebooked")
        assert (event.user, event.data) == (nurse, {"follow_up": [first.pk, rebooked.follow_up_id]})

    def test_review_and_retreatment(self, course, clinician, nurse, lot, consent_form):
        start = timezone.localdate() - timedelta(weeks=11)
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
        review = services.retreatment_start(
            course=course, by=clinician, reviewed_on=timezone.localdate(), notes="Better."
        )
        event = only_event("response_review.recorded")
        assert (event.user, event.patient_id, event.target_id) == (
            clinician,
            course.patient_id,
            review.pk,
        )
        step = AuditEvent.objects.filter(action="course.transition").latest("id")
        assert step.data["transition"] == "start_retreatment"
        assert step.data["state"] == ["maintenance", "injection"]
        with pytest.raises(DomainError):
            services.response_review_record(
                course=course, by=clinician, reviewed_on=start - timedelta(days=1), notes="x"
            )
        assert AuditEvent.objects.filter(action="response_review.recorded").count() == 1
        services.response_review_record(
            course=course, by=clinician, reviewed_on=timezone.localdate(), notes="Again."
        )
        assert AuditEvent.objects.filter(action="response_review.recorded").count() == 2


class TestReminders:
    @pytest.fixture
    def maintained(self, course, clinician, nurse, lot, consent_form):
        start = timezone.localdate() - timedelta(days=20)
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
        return Course.objects.get(pk=course.pk)

    def failed(self, course, key="failed"):
        return Reminder.objects.create(
            course=course,
            kind=ReminderKind.RETREATMENT_DUE,
            due_at=timezone.now() - timedelta(days=1),
            key=key,
            attempts=MAX_ATTEMPTS,
            last_error="SMTPException",
        )

    def test_send_now(self, maintained, nurse):
        reminder = services.reminder_send_now(course=maintained, by=nurse)
        event = only_event("reminder.send_requested")
        assert (event.user, event.patient_id, event.target_id) == (
            nurse,
            maintained.patient_id,
            reminder.pk,
        )
        with pytest.raises(DomainError):
            services.reminder_send_now(course=maintained, by=nurse)  # already waiting
        assert AuditEvent.objects.filter(action="reminder.send_requested").count() == 1

    def test_retry_and_mark_handled(self, maintained, clinic_admin):
        row = self.failed(maintained)
        services.reminder_retry(reminder=row, by=clinic_admin)
        event = only_event("reminder.retried")
        assert (event.user, event.patient_id) == (clinic_admin, maintained.patient_id)
        assert event.data["attempts"] == [MAX_ATTEMPTS, 0]
        assert event.data["last_error"] == ["SMTPException", ""]
        with pytest.raises(DomainError):
            services.reminder_mark_handled(reminder=row, by=clinic_admin)  # no longer failed
        assert not AuditEvent.objects.filter(action="reminder.marked_handled").exists()
        other = self.failed(maintained, key="failed-2")
        services.reminder_mark_handled(reminder=other, by=clinic_admin)
        handled = only_event("reminder.marked_handled")
        assert (handled.user, handled.target_id) == (clinic_admin, other.pk)

    def due(self, course, key):
        return Reminder.objects.create(
            course=course,
            kind=ReminderKind.RETREATMENT_DUE,
            due_at=timezone.now() - timedelta(minutes=1),
            key=key,
        )

    def test_the_sweep_names_no_one_and_logs_each_send_once(self, maintained):
        Reminder.objects.all().delete()
        reminder = self.due(maintained, "due")
        assert services.reminder_sweep() == 1
        assert services.reminder_sweep() == 0
        event = only_event("reminder.sent")
        assert (event.user, event.patient_id, event.target_id) == (
            None,
            maintained.patient_id,
            reminder.pk,
        )
        assert event.data == {"kind": "retreatment_due", "attempt": 1}

    def test_the_sweep_logs_an_opt_out_and_a_failure(self, maintained, monkeypatch):
        Reminder.objects.all().delete()
        patient = maintained.patient
        patient.reminder_opt_outs = ["retreatment_due"]
        patient.save(update_fields=["reminder_opt_outs"])
        self.due(maintained, "opted-out")
        services.reminder_sweep()
        assert only_event("reminder.cancelled").data == {
            "kind": "retreatment_due",
            "why": "opted_out",
        }
        patient.reminder_opt_outs = []
        patient.save(update_fields=["reminder_opt_outs"])

        def down(**kwargs):
            raise RuntimeError("gateway down")

        monkeypatch.setattr(sweep, "message_send", down)
        self.due(maintained, "fails")
        assert services.reminder_sweep() == 0
        failed = only_event("reminder.send_failed")
        assert (failed.user, failed.data["error"], failed.data["attempt"]) == (
            None,
            "RuntimeError",
            1,
        )
