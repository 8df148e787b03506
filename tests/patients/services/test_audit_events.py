"""Every write about a patient leaves one audit event in its own transaction: the action, who,
which patient, what changed; a refused change leaves none."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

import patients.services
from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from patients import services
from patients.models import (
    AppointmentKind,
    CallbackOutcomeKind,
    ContactChannel,
    ContactOutcome,
    Patient,
)
from tests.audit import actions, only_event, table_problems
from tests.factories import PatientFactory

from .test_callbacks import ask
from .test_portal import accept

pytestmark = pytest.mark.django_db

# Which event each public function of patients.services writes: an action (the function calls
# log_action with it), or None (a check or a pure helper; it writes nothing). A new service
# must be added here, with its event (tests.audit.table_problems).
SERVICE_ACTIONS: dict[str, str | None] = {
    "appointments.appointment_book": "appointment.booked",
    "appointments.appointment_set_status": "appointment.status_changed",
    "appointments.booker_require": None,
    "callbacks.callback_claim": "callback.claimed",
    "callbacks.callback_match": "callback.matched",
    "callbacks.callback_outcome_record": "callback.call_recorded",
    "callbacks.callback_request": "callback.requested",
    "contact_attempts.contact_attempt_record": "contact_attempt.recorded",
    "patient.normalised_identifier": None,
    "patient.patient_contact_update": "patient.contact_changed",
    "patient.patient_register": "patient.registered",
    "patient.reminder_opt_outs_set": "patient.reminder_opt_outs_changed",
    "portal.portal_access_remove": "portal.access_removed",
    "portal.portal_invitation_accept": "portal.joined",
    "portal.portal_invitation_revoke": "portal.invitation_revoked",
    "portal.portal_invite": "portal.invited",
}


def test_every_public_service_says_which_event_it_writes():
    assert table_problems(patients.services, SERVICE_ACTIONS) == []


def assert_no_event():
    assert actions() == []


def register(clinic, by, identifier="H900"):
    return services.patient_register(
        clinic=clinic,
        by=by,
        identifier=identifier,
        first_name="Ruth",
        last_name="Evans",
        date_of_birth=timezone.localdate().replace(year=1980),
    )


class TestPatient:
    def test_registration_records_who_registered(self, clinic, receptionist):
        patient = register(clinic, receptionist, identifier=" h900 ")
        event = only_event("patient.registered")
        assert (event.user, event.patient_id, event.clinic_id) == (
            receptionist,
            patient.pk,
            clinic.pk,
        )
        assert (event.target_type, event.target_id) == ("patients.patient", patient.pk)
        assert event.data == {"identifier": "H900"}

    def test_a_refused_registration_writes_nothing(self, clinic, receptionist):
        register(clinic, receptionist)
        with pytest.raises(DomainError):
            register(clinic, receptionist)
        assert AuditEvent.objects.filter(action="patient.registered").count() == 1

    def test_a_contact_edit_keeps_old_and_new_values(self, patient, receptionist, clinician):
        old_phone = patient.phone
        services.patient_contact_update(
            patient=patient,
            by=receptionist,
            phone="07700 900999",
            email=patient.email,
            preferred_channel=ContactChannel.SMS,
            responsible_clinician=None,
        )
        event = only_event("patient.contact_changed")
        assert (event.user, event.patient_id) == (receptionist, patient.pk)
        assert event.data == {
            "phone": [old_phone, "07700 900999"],
            "preferred_channel": [patient.preferred_channel, "sms"],
            "responsible_clinician_id": [clinician.pk, None],
        }

    def test_a_refused_contact_edit_writes_nothing(self, patient, receptionist):
        with pytest.raises(DomainError):
            services.patient_contact_update(
                patient=patient,
                by=receptionist,
                phone="",
                email="",
                preferred_channel=ContactChannel.EMAIL,
                responsible_clinician=None,
            )
        assert_no_event()

    def test_the_patients_own_opt_outs(self, patient, django_user_model):
        patient.user = django_user_model.objects.create_user("ruth", password="x")
        patient.save(update_fields=["user"])
        services.reminder_opt_outs_set(
            patient=patient, by=patient.user, opt_outs=["check_in"], kinds=["check_in", "due"]
        )
        event = only_event("patient.reminder_opt_outs_changed")
        assert (event.user, event.patient_id) == (patient.user, patient.pk)
        assert event.data == {"reminder_opt_outs": [[], ["check_in"]]}


class TestAppointments:
    def test_booking_records_who_booked_what(self, booked, receptionist, patient, clinician):
        event = only_event("appointment.booked")
        assert (event.user, event.patient_id, event.clinic_id) == (
            receptionist,
            patient.pk,
            patient.clinic_id,
        )
        assert event.target_id == booked.pk
        assert event.data["kind"] == "consultation"
        assert event.data["clinician_id"] == clinician.pk
        assert event.data["starts_at"] == booked.starts_at.isoformat()

    def test_a_clash_writes_nothing(self, booked, receptionist, patient):
        with pytest.raises(DomainError):
            services.appointment_book(
                patient=patient,
                by=receptionist,
                kind=AppointmentKind.CONSULTATION,
                starts_at=booked.starts_at,
                minutes=30,
            )
        assert AuditEvent.objects.filter(action="appointment.booked").count() == 1

    def test_a_status_change_records_who_and_old_and_new(self, booked, receptionist, nurse):
        services.appointment_set_status(
            appointment=booked, by=nurse, status="cancelled", reason=" Unwell "
        )
        event = only_event("appointment.status_changed")
        assert (event.user, event.patient_id, event.target_id) == (
            nurse,
            booked.patient_id,
            booked.pk,
        )
        assert event.clinic_id == booked.patient.clinic_id
        assert event.data == {"status": ["booked", "cancelled"], "status_note": ["", "Unwell"]}

    def test_marking_attended_before_the_visit_writes_nothing(self, booked, nurse):
        with pytest.raises(DomainError):
            services.appointment_set_status(appointment=booked, by=nurse, status="attended")
        assert not AuditEvent.objects.filter(action="appointment.status_changed").exists()

    def test_the_patient_cancelling_their_own_visit_is_named(self, booked, django_user_model):
        patient = booked.patient
        patient.user = django_user_model.objects.create_user("ruth", password="x")
        patient.save(update_fields=["user"])
        services.appointment_set_status(
            appointment=booked, by=patient.user, status="cancelled", reason="Away"
        )
        event = only_event("appointment.status_changed")
        assert (event.user, event.clinic_id) == (patient.user, patient.clinic_id)


class TestCallbacks:
    def test_a_visitors_request_names_no_one(self, clinic):
        callback = ask(clinic)
        event = only_event("callback.requested")
        assert (event.user, event.clinic_id, event.target_id) == (None, clinic.pk, callback.pk)
        assert event.address == "203.0.113.9" and event.data == {"topic": "new_referral"}
        assert "07700" not in json.dumps(event.data)

    def test_a_request_over_the_limit_writes_nothing(self, clinic, settings):
        settings.CALLBACK_LIMIT_PER_ADDRESS = 0
        with pytest.raises(DomainError):
            ask(clinic)
        assert_no_event()

    def test_claim_call_and_match(self, clinic, receptionist, patient):
        callback = ask(clinic)
        services.callback_claim(callback=callback, by=receptionist)
        claimed = only_event("callback.claimed")
        assert (claimed.user, claimed.clinic_id) == (receptionist, clinic.pk)
        assert claimed.data == {"status": ["open", "claimed"]}
        outcome = services.callback_outcome_record(
            callback=callback, by=receptionist, kind=CallbackOutcomeKind.REACHED
        )
        called = only_event("callback.call_recorded")
        assert (called.user, called.target_id) == (receptionist, outcome.pk)
        assert called.data == {"outcome": "reached", "status": ["claimed", "done"]}
        services.callback_match(callback=callback, patient=patient, by=receptionist)
        matched = only_event("callback.matched")
        assert (matched.user, matched.patient_id, matched.target_id) == (
            receptionist,
            patient.pk,
            callback.pk,
        )
        assert matched.data == {"patient": [None, patient.pk]}

    def test_refused_claim_call_and_match_write_nothing(self, clinic, other_clinic, receptionist):
        callback = ask(clinic)
        before = AuditEvent.objects.count()
        with pytest.raises(DomainError):
            services.callback_outcome_record(
                callback=callback, by=receptionist, kind=CallbackOutcomeKind.REACHED
            )
        with pytest.raises(DomainError):
            services.callback_match(
                callback=callback, patient=PatientFactory(clinic=other_clinic), by=receptionist
            )
        assert AuditEvent.objects.count() == before


class TestContactAttempts:
    def test_an_attempt_is_recorded_with_who(self, patient, nurse):
        attempt = services.contact_attempt_record(
            patient=patient, by=nurse, channel=ContactChannel.PHONE, outcome=ContactOutcome.REACHED
        )
        event = only_event("contact_attempt.recorded")
        assert (event.user, event.patient_id, event.target_id) == (nurse, patient.pk, attempt.pk)
        assert event.data["channel"] == "phone" and event.data["outcome"] == "reached"

    def test_an_attempt_in_the_future_writes_nothing(self, patient, nurse):
        with pytest.raises(DomainError):
            services.contact_attempt_record(
                patient=patient,
                by=nurse,
                channel=ContactChannel.PHONE,
                outcome=ContactOutcome.REACHED,
                at=timezone.now() + timedelta(hours=1),
            )
        assert_no_event()


class TestPortal:
    def test_invite_and_reinvite_keep_no_link(self, patient, receptionist, invite):
        first = invite(patient)
        path = invite(patient)
        invited = list(AuditEvent.objects.filter(action="portal.invited").order_by("id"))
        assert [e.data["earlier_revoked"] for e in invited] == [0, 1]
        for event in invited:
            assert (event.user, event.patient_id) == (receptionist, patient.pk)
            assert event.data["sent_to"] == patient.email
            stored = json.dumps(event.data)
            for link in (first, path):
                assert link.strip("/").rsplit("/", 1)[1] not in stored

    def test_an_invitation_without_email_writes_nothing(self, receptionist, clinic):
        patient = PatientFactory(clinic=clinic, email="")
        with pytest.raises(DomainError):
            services.portal_invite(patient=patient, by=receptionist, base_url="http://testserver/")
        assert_no_event()

    def test_revoke(self, patient, receptionist, nurse, invite):
        invite(patient)
        services.portal_invitation_revoke(patient=patient, by=nurse)
        event = only_event("portal.invitation_revoked")
        assert (event.user, event.patient_id, event.data) == (nurse, patient.pk, {"revoked": 1})
        with pytest.raises(DomainError):
            services.portal_invitation_revoke(patient=patient, by=nurse)
        assert AuditEvent.objects.filter(action="portal.invitation_revoked").count() == 1

    def test_join_names_the_new_login_and_no_password(self, patient, invite):
        user = accept(invite(patient))
        event = only_event("portal.joined")
        assert (event.user, event.patient_id) == (user, patient.pk)
        assert event.data == {"username": "ruth.e", "user": [None, user.pk]}
        assert "plum" not in json.dumps(event.data)

    def test_a_refused_join_writes_nothing(self, patient, invite):
        path = invite(patient)
        with pytest.raises(DomainError):
            accept(path, password="x")
        assert not AuditEvent.objects.filter(action="portal.joined").exists()
        assert Patient.objects.get(pk=patient.pk).user is None

    def test_remove_access(self, patient, receptionist, clinic_admin, invite):
        user = accept(invite(patient))
        services.portal_access_remove(patient=patient, by=clinic_admin)
        event = only_event("portal.access_removed")
        assert (event.user, event.patient_id) == (clinic_admin, patient.pk)
        assert event.data == {"user": [user.pk, None], "deactivated": True, "revoked": 0}
        with pytest.raises(DomainError):
            services.portal_access_remove(patient=patient, by=clinic_admin)
        assert AuditEvent.objects.filter(action="portal.access_removed").count() == 1
