"""Every write of the pathway leaves one audit event in its own transaction: each step (in
`transition_run`, with the states before and after), each record, who made it and about which
patient; a refused change leaves none. Visits and reminders: test_audit_events_visits.py."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

import treatments.services
from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.audit import SETUP_ACTIONS, actions, only_event, table_problems
from tests.factories import ProductLotFactory
from tests.journey import advance, consultation_kwargs, record_session
from tests.patients.services.test_audit_events import SERVICE_ACTIONS as PATIENT_SERVICES
from treatments import services
from treatments.models import Course, CourseTransition, State

pytestmark = pytest.mark.django_db

# Which event each public function of treatments.services writes: an action (it, or a private
# helper it calls, calls log_action with it), "via f" (the service f it calls writes the
# event), or None (a read, a pure helper, or a row made inside its cause's transaction, as
# reminders are). A new service must be added here, with its event.
SERVICE_ACTIONS: dict[str, str | None] = {
    "amendments.record_amend": "record.amended",
    "booking.visit_book": "via appointment_book",
    "booking.visit_move": "via visit_replace",
    "booking.visit_replace": "appointment.moved",
    "booking.when_text": None,
    "consent.consent_form_active": None,
    "consent.consent_form_text": None,
    "consent.consent_record_paper": "consent.recorded",
    "consent.consent_text_hash": None,
    "consent.preparation_record": "preparation.recorded",
    "consent_forms.consent_form_activate": "consent_form.activated",
    "consent_forms.consent_form_create": "consent_form.created",
    "consent_forms.consent_form_edit": "consent_form.edited",
    "consent_forms.consent_form_used": None,
    "consultation.consultation_record": "consultation.recorded",
    "course.course_discontinue": "via transition_run",
    "course.course_lock": None,
    "course.course_start": "course.started",
    "course.course_transition": "via transition_run",
    # A column kept inside its cause's transaction (a step taken, a course opened).
    "course.current_state_keep": None,
    "course.latest_session": None,
    "course.patient_refer": "course.started",
    "course.require_state": None,
    "course.transition_run": "course.transition",
    "cycle.aftercare_follow_up_rebook": "aftercare.follow_up_rebooked",
    "cycle.aftercare_issue": "aftercare.issued",
    "cycle.course_maintenance_start": "via transition_run",
    "cycle.response_review_record": "response_review.recorded",
    "cycle.retreatment_start": "response_review.recorded",
    "documents.document_for_aftercare": "document.made",
    "documents.document_for_consent": "document.made",
    "documents.document_make": "via document_for_consent",
    "documents.document_queue": None,
    "documents.documents_missing_make": "via document_make",
    "history.allergy_add": "allergy.added",
    "history.allergy_remove": "allergy.removed",
    "history.current_medicine_add": "medicine.added",
    "history.current_medicine_remove": "medicine.removed",
    "history.preventive_treatment_add": "preventive.added",
    "history.preventive_treatment_remove": "preventive.removed",
    "injection.conduct_refusals": None,
    "injection.injection_session_record": "injection_session.recorded",
    "injection.product_lot_add": "lot.added",
    "reminders.appointment_close": "via appointment_set_status",
    "reminders.checkin_schedule": None,
    "reminders.consent_renewal_schedule": None,
    "reminders.reminder_mark_handled": "reminder.marked_handled",
    "reminders.reminder_retry": "reminder.retried",
    "reminders.reminder_schedule": None,
    "reminders.reminder_send_now": "reminder.send_requested",
    "reminders.reminder_time": None,
    "reminders.reminders_cancel": None,
    "reminders.visit_reminder_time": None,
    "reminders.visits_close": "via appointment_close",
    "self_booking.visit_self_book": "via visit_book",
    "signing.consent_request_send": "consent_request.sent",
    "signing.consent_request_viewed": "consent_request.viewed",
    "signing.consent_shown_text": None,
    "signing.consent_sign": "consent.signed",
    "sweep.reminder_sweep": "reminder.sent",
    "withdrawal.consent_withdraw": "consent.withdrawn",
    "withdrawal.injection_visits_ahead": None,
    "withdrawal.withdrawal_refusals": None,
}


def test_every_public_service_says_which_event_it_writes():
    assert table_problems(treatments.services, SERVICE_ACTIONS, PATIENT_SERVICES) == []


def walked(course, to, clinician, nurse, lot, **kwargs) -> Course:
    return advance(course, to, clinician=clinician, nurse=nurse, lot=lot, **kwargs)


class TestTransitions:
    def test_every_step_writes_one_event_with_its_states(
        self, course, clinician, nurse, lot, consent_form
    ):
        walked(course, State.MAINTENANCE, clinician, nurse, lot)
        events = AuditEvent.objects.filter(action="course.transition").order_by("id")
        logged = CourseTransition.objects.filter(course=course).order_by("id")
        assert [(e.user_id, e.data["transition"], e.data["state"]) for e in events] == [
            (t.by_id, t.name, [t.source, t.target]) for t in logged
        ]
        assert len(logged) == 4
        assert {(e.patient_id, e.target_id) for e in events} == {(course.patient_id, course.pk)}

    def test_a_refused_step_writes_nothing(self, course, clinician):
        with pytest.raises(DomainError):
            services.course_transition(course=course, name="complete_evaluation", by=clinician)
        assert actions() == []

    def test_discontinuing_keeps_the_reason(self, course, clinician):
        services.course_discontinue(
            course=course, by=clinician, reason="patient_choice", detail="Moved"
        )
        event = only_event("course.transition")
        assert event.user == clinician
        assert event.data["transition"] == "discontinue"
        assert event.data["state"] == ["consultation", "discontinued"]
        assert "Moved" in event.data["reason"]

    def test_a_new_course_and_a_refused_one(self, course, clinician, patient):
        today = timezone.localdate()
        with pytest.raises(DomainError):
            services.course_start(patient=patient, by=clinician, started_on=today)
        assert actions() == []
        services.course_discontinue(course=course, by=clinician, reason="patient_choice")
        new = services.course_start(patient=patient, by=clinician, started_on=today)
        event = only_event("course.started")
        assert (event.user, event.patient_id, event.target_id) == (clinician, patient.pk, new.pk)
        assert event.data == {"started_on": today.isoformat()}

    def test_a_referral_registers_and_opens_a_course(self, clinic, receptionist):
        patient = services.patient_refer(
            clinic=clinic,
            by=receptionist,
            referred_on=timezone.localdate(),
            identifier="H777",
            first_name="Ruth",
            last_name="Evans",
            date_of_birth=timezone.localdate().replace(year=1980),
        )
        assert actions() == ["patient.registered", "course.started"]
        assert set(
            AuditEvent.objects.exclude(action__in=SETUP_ACTIONS).values_list("user", "patient_id")
        ) == {(receptionist.pk, patient.pk)}


class TestRecords:
    def test_consultation(self, course, clinician, nurse):
        record = services.consultation_record(course=course, by=clinician, **consultation_kwargs())
        event = only_event("consultation.recorded")
        assert (event.user, event.patient_id, event.target_id) == (
            clinician,
            course.patient_id,
            record.pk,
        )
        assert event.data["decision"] == "proceed" and event.data["failed_preventives_count"] == 3
        assert "history" not in event.data  # the notes stay in the record

    def test_a_consultation_at_another_step_writes_nothing(
        self, course, clinician, nurse, lot, consent_form
    ):
        walked(course, State.CONSENT, clinician, nurse, lot)
        before = AuditEvent.objects.count()
        with pytest.raises(DomainError):
            services.consultation_record(course=course, by=clinician, **consultation_kwargs())
        assert AuditEvent.objects.count() == before

    def test_paper_consent_and_preparation(self, course, clinician, nurse, lot, consent_form):
        walked(course, State.CONSENT, clinician, nurse, lot)
        today = timezone.localdate()
        with pytest.raises(DomainError):
            services.consent_record_paper(
                course=course, by=nurse, signer_name="R E", signed_on=today + timedelta(days=1)
            )
        assert not AuditEvent.objects.filter(action="consent.recorded").exists()
        consent = services.consent_record_paper(
            course=course, by=nurse, signer_name="R E", signed_on=today
        )
        event = only_event("consent.recorded")
        assert (event.user, event.patient_id, event.target_id) == (
            nurse,
            course.patient_id,
            consent.pk,
        )
        assert event.data["method"] == "paper" and event.data["version"] == consent_form.version
        review = services.preparation_record(
            course=course,
            by=nurse,
            reviewed_on=today,
            advice="None.",
            flags={"muscle_relaxants": True},
        )
        prepared = only_event("preparation.recorded")
        assert (prepared.user, prepared.target_id) == (nurse, review.pk)
        assert prepared.data["flags"] == ["muscle_relaxants"]
        assert prepared.data["flags_cleared"] is False

    def test_lot(self, clinic, nurse):
        added = services.product_lot_add(
            clinic=clinic,
            by=nurse,
            lot_number=" C9999 ",
            expiry_date=timezone.localdate() + timedelta(days=200),
            vial_units=100,
        )
        event = only_event("lot.added")
        assert (event.user, event.clinic_id, event.target_id) == (nurse, clinic.pk, added.pk)
        assert event.data["lot_number"] == "C9999" and event.data["vial_units"] == 100
        with pytest.raises(DomainError):
            services.product_lot_add(
                clinic=clinic,
                by=nurse,
                lot_number="C9999",
                expiry_date=timezone.localdate() + timedelta(days=200),
                vial_units=100,
            )
        assert AuditEvent.objects.filter(action="lot.added").count() == 1

    def test_injection_session(self, course, clinician, nurse, lot, consent_form, other_clinic):
        walked(course, State.INJECTION, clinician, nurse, lot)
        before = AuditEvent.objects.count()
        with pytest.raises(DomainError):
            record_session(course, clinician=clinician, lot=ProductLotFactory(clinic=other_clinic))
        assert AuditEvent.objects.count() == before
        session = record_session(course, clinician=clinician, lot=lot)
        event = only_event("injection_session.recorded", target_id=session.pk)
        assert (event.user, event.patient_id) == (clinician, course.patient_id)
        [vial] = event.data["vials"]
        assert vial["lot_id"] == lot.pk and vial["lot_number"] == lot.lot_number
        assert vial["diluent_ml"] == str(Decimal("4"))
        assert (vial["vial_units"], vial["units_given"], vial["units_discarded"]) == (200, 155, 45)
        assert vial["reconstituted_at"].endswith("Z") or "+00:00" in vial["reconstituted_at"]
        assert sum(units for _sites, units in event.data["sites"].values()) == 155
        step = AuditEvent.objects.filter(action="course.transition").latest("id")
        assert step.data["state"] == ["injection", "post_care"]


class TestConsentForms:
    def test_create_edit_activate(self, clinic, clinic_admin, consent_form):
        draft = services.consent_form_create(
            clinic=clinic, by=clinic_admin, title="T", body="B", statements="S", activate=False
        )
        created = only_event("consent_form.created")
        assert (created.user, created.clinic_id, created.target_id) == (
            clinic_admin,
            clinic.pk,
            draft.pk,
        )
        assert created.data == {"version": 2, "active": False}
        services.consent_form_edit(
            form=draft, by=clinic_admin, title="Title", body="B", statements="S"
        )
        edited = only_event("consent_form.edited")
        assert edited.data == {"version": 2, "title": ["T", "Title"]}
        services.consent_form_activate(form=draft, by=clinic_admin)
        activated = only_event("consent_form.activated")
        assert activated.data == {"version": 2, "deactivated": [1]}

    def test_refused_changes_write_nothing(self, clinic_admin, consent_form):
        with pytest.raises(DomainError):
            services.consent_form_create(
                clinic=consent_form.clinic, by=clinic_admin, title="", body="B", statements="S",
                activate=True,
            )  # fmt: skip
        with pytest.raises(DomainError):
            services.consent_form_activate(form=consent_form, by=clinic_admin)  # already active
        with pytest.raises(DomainError):
            services.consent_form_edit(
                form=consent_form, by=clinic_admin, title="", body="B", statements="S"
            )
        assert actions() == []


class TestSigning:
    @pytest.fixture
    def at_consent(self, patient, clinician, nurse, consent_form, lot):
        patient.user = get_user_model().objects.create_user("pat", password="x-long-password-1")
        patient.save()
        return walked(Course.objects.get(patient=patient), State.CONSENT, clinician, nurse, lot)

    def test_send_view_sign_withdraw(self, at_consent, patient, nurse):
        request = services.consent_request_send(course=at_consent, by=nurse)
        sent = only_event("consent_request.sent")
        assert (sent.user, sent.patient_id, sent.target_id) == (nurse, patient.pk, request.pk)
        services.consent_request_viewed(request=request)
        services.consent_request_viewed(
            request=type(request).objects.get(pk=request.pk)
        )  # the second look changes nothing
        assert only_event("consent_request.viewed").patient_id == patient.pk
        with pytest.raises(DomainError):
            self.sign(request, patient, typed_name="Someone Else")
        assert not AuditEvent.objects.filter(action="consent.signed").exists()
        consent = self.sign(request, patient)
        signed = only_event("consent.signed")
        assert (signed.user, signed.patient_id, signed.target_id) == (
            patient.user,
            patient.pk,
            consent.pk,
        )
        assert signed.address == "203.0.113.9"
        assert signed.data["method"] == "electronic"
        assert signed.data["text_sha256"] == consent.text_sha256
        services.consent_withdraw(consent=consent, by=patient.user, reason=" Changed my mind ")
        withdrawn = only_event("consent.withdrawn")
        assert withdrawn.user == patient.user
        assert withdrawn.data["withdrawal_reason"] == ["", "Changed my mind"]
        assert withdrawn.data["withdrawn_by_id"] == [None, patient.user.pk]
        with pytest.raises(DomainError):
            services.consent_withdraw(consent=consent, by=patient.user, reason="Again")
        assert AuditEvent.objects.filter(action="consent.withdrawn").count() == 1

    @staticmethod
    def sign(request, patient, **changes):
        kwargs = {
            "request": request,
            "user": patient.user,
            "typed_name": patient.full_name,
            "confirmed": request.form.statement_list,
            "address": "203.0.113.9",
            "agent": "test",
        }
        return services.consent_sign(**{**kwargs, **changes})


class TestDocuments:
    def test_a_document_made_by_the_task_names_no_one(
        self, course, clinician, nurse, lot, consent_form
    ):
        walked(course, State.CONSENT, clinician, nurse, lot)
        consent = services.consent_record_paper(
            course=course, by=nurse, signer_name="R E", signed_on=timezone.localdate()
        )
        document = services.document_for_consent(consent=consent)
        services.document_for_consent(consent=consent)  # stored: nothing made, nothing logged
        event = only_event("document.made")
        assert (event.user, event.patient_id, event.target_id) == (
            None,
            course.patient_id,
            document.pk,
        )
        assert event.data == {"kind": "consent", "sha256": document.sha256, "consent": consent.pk}
