"""Portal invitations: a single-use link that expires, sent after commit in neutral words; the
token is kept only as a hash; revoking, re-inviting and removing access."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.roles import Role
from patients import services
from patients.models import PortalInvitation
from patients.reasons import Reason
from tests.conftest import CLINICAL_WORDS, join_path, queued_by_app
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "plum-orchard-lantern-42"
User = get_user_model()


def token_of(path: str) -> str:
    return path.rstrip("/").rsplit("/", 1)[1]


def accept(path: str, username: str = "ruth.e", password: str = NEW_PASSWORD):
    return services.portal_invitation_accept(
        token=token_of(path), username=username, password=password
    )


def refused_codes(call) -> list[str]:
    with pytest.raises(DomainError) as caught:
        call()
    return caught.value.codes


class TestInvite:
    def test_the_email_goes_after_commit_in_neutral_words(
        self, patient, receptionist, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks() as callbacks:
            services.portal_invite(patient=patient, by=receptionist, base_url="http://testserver")
            assert mail.outbox == []  # nothing leaves before the invitation is committed
        assert len(queued_by_app(callbacks)) == 1
        queued_by_app(callbacks)[0]()
        (email,) = mail.outbox
        assert email.to == [patient.email]
        text = (email.subject + email.body).lower()
        assert "you have been invited to your clinic's patient portal" in text
        for word in CLINICAL_WORDS:
            assert word not in text
        assert patient.first_name.lower() not in text
        assert patient.last_name.lower() not in text
        assert patient.clinic.name.lower() not in text
        assert join_path(email.body)
        assert PortalInvitation.objects.get().sent_at is not None

    def test_the_token_is_stored_only_as_its_hash(self, patient, invite):
        token = token_of(invite(patient))
        invitation = PortalInvitation.objects.get()
        assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = [str(getattr(invitation, f.attname)) for f in PortalInvitation._meta.fields]
        assert not any(token in value for value in stored)

    def test_it_lasts_the_clinics_number_of_days(self, patient, invite):
        settings = patient.clinic.settings
        settings.portal_invitation_days = 3
        settings.save()
        invite(patient)
        invitation = PortalInvitation.objects.get()
        assert invitation.expires_at - invitation.created_at == timedelta(days=3)
        assert "within 3 days" in mail.outbox[-1].body

    def test_a_second_invitation_revokes_the_first_link(self, patient, invite):
        first = invite(patient)
        second = invite(patient)
        assert PortalInvitation.objects.filter(revoked_at__isnull=True).count() == 1
        assert refused_codes(lambda: accept(first)) == [Reason.INVITATION_UNUSABLE]
        assert accept(second).patient == patient

    def test_refused_without_an_email_address(self, patient, receptionist):
        patient.email = ""
        patient.save()
        codes = refused_codes(
            lambda: services.portal_invite(patient=patient, by=receptionist, base_url="http://x")
        )
        assert codes == [Reason.PORTAL_NEEDS_EMAIL]
        assert not PortalInvitation.objects.exists()

    def test_refused_when_the_patient_has_a_login(self, patient, receptionist, invite):
        accept(invite(patient))
        codes = refused_codes(
            lambda: services.portal_invite(patient=patient, by=receptionist, base_url="http://x")
        )
        assert codes == [Reason.PORTAL_ALREADY_ACTIVE]

    def test_an_admin_may_not_invite(self, patient, clinic_admin):
        with pytest.raises(PermissionDenied):
            services.portal_invite(patient=patient, by=clinic_admin, base_url="http://x")
        assert not PortalInvitation.objects.exists()

    def test_a_mail_failure_keeps_the_invitation_unsent_and_logs_no_address(
        self, patient, receptionist, monkeypatch, caplog, django_capture_on_commit_callbacks
    ):
        def broken(*args, **kwargs):
            raise ConnectionRefusedError(patient.email)

        monkeypatch.setattr("patients.services.portal.send_mail", broken)
        with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
            services.portal_invite(patient=patient, by=receptionist, base_url="http://x")
        invitation = PortalInvitation.objects.get()
        assert invitation.sent_at is None
        assert f"portal invitation {invitation.pk} not sent" in caplog.text
        assert patient.email not in caplog.text


class TestAccept:
    def test_creates_a_login_linked_to_the_patient(self, patient, invite):
        user = accept(invite(patient))
        patient.refresh_from_db()
        assert patient.user == user
        assert user.check_password(NEW_PASSWORD)
        assert user.email == patient.email  # so a password reset reaches them
        assert not hasattr(user, "staff_profile")
        assert PortalInvitation.objects.get().used_at is not None

    def test_a_used_link_cannot_be_used_again(self, patient, invite):
        path = invite(patient)
        accept(path)
        assert refused_codes(lambda: accept(path, username="someone.else")) == [
            Reason.INVITATION_UNUSABLE
        ]
        assert User.objects.filter(username="someone.else").count() == 0

    def test_the_link_expires(self, patient, invite):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            path = invite(patient)
            clock.shift(timedelta(days=7, seconds=1))
            assert refused_codes(lambda: accept(path)) == [Reason.INVITATION_UNUSABLE]
        patient.refresh_from_db()
        assert patient.user is None
        assert not User.objects.filter(username="ruth.e").exists()

    def test_the_link_works_until_it_expires(self, patient, invite):
        with time_machine.travel(timezone.now(), tick=False) as clock:
            path = invite(patient)
            clock.shift(timedelta(days=7, seconds=-1))
            assert accept(path).patient == patient

    def test_a_revoked_link_changes_nothing(self, patient, receptionist, invite):
        path = invite(patient)
        services.portal_invitation_revoke(patient=patient, by=receptionist)
        users = User.objects.count()
        assert refused_codes(lambda: accept(path)) == [Reason.INVITATION_UNUSABLE]
        assert User.objects.count() == users
        assert PortalInvitation.objects.get().used_at is None

    def test_an_unknown_token_is_refused_the_same_way(self, patient, invite):
        invite(patient)
        assert refused_codes(lambda: accept("/portal/join/not-a-token/")) == [
            Reason.INVITATION_UNUSABLE
        ]

    def test_a_weak_password_or_a_taken_username_changes_nothing(
        self, patient, receptionist, invite
    ):
        path = invite(patient)
        codes = refused_codes(lambda: accept(path, username=receptionist.username.upper()))
        assert codes == [Reason.USERNAME_TAKEN]
        assert Reason.PASSWORD_WEAK in refused_codes(lambda: accept(path, password="12345678"))
        patient.refresh_from_db()
        assert patient.user is None
        assert PortalInvitation.objects.get().used_at is None

    def test_a_staff_login_is_never_linked(self, patient, receptionist, invite):
        """The invitation only ever creates a new login: the staff member's name is taken."""
        path = invite(patient)
        refused_codes(lambda: accept(path, username=receptionist.username))
        patient.refresh_from_db()
        assert patient.user is None


class TestRevokeAndRemove:
    def test_revoke_without_a_pending_invitation_is_refused(self, patient, receptionist):
        codes = refused_codes(
            lambda: services.portal_invitation_revoke(patient=patient, by=receptionist)
        )
        assert codes == [Reason.PORTAL_NO_INVITATION]

    def test_remove_unlinks_and_deactivates_the_login(self, patient, clinic_admin, invite):
        user = accept(invite(patient))
        services.portal_access_remove(patient=patient, by=clinic_admin)
        patient.refresh_from_db()
        user.refresh_from_db()
        assert patient.user is None
        assert not user.is_active
        assert User.objects.filter(pk=user.pk).exists()  # kept on record

    def test_after_removal_a_new_invitation_makes_a_new_login(self, patient, nurse, invite):
        old = accept(invite(patient))
        services.portal_access_remove(patient=patient, by=nurse)
        new = accept(invite(patient), username="ruth.e.2")
        assert new != old
        patient.refresh_from_db()
        assert patient.user == new

    def test_remove_never_deactivates_a_staff_login(self, patient, clinic, clinician):
        other = make_staff(clinic, Role.NURSE)
        patient.user = other  # linked by mistake, say in the admin
        patient.save()
        services.portal_access_remove(patient=patient, by=clinician)
        other.refresh_from_db()
        assert other.is_active
        patient.refresh_from_db()
        assert patient.user is None

    def test_remove_without_a_login_is_refused(self, patient, clinician):
        codes = refused_codes(lambda: services.portal_access_remove(patient=patient, by=clinician))
        assert codes == [Reason.PORTAL_NO_ACCESS]
