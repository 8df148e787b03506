"""Portal access: inviting a patient by a single-use link that expires, revoking the invitation,
the patient accepting it (their login is created and linked), and removing a login.

Staff revoke a *pending invitation* (the link stops working; nothing else changes) or *remove
access* (the login is unlinked from the patient and deactivated, so it can neither sign in nor
reset its password, and its open sessions end on their next request). A removed login is kept,
not deleted, so what it did stays attributable; a new invitation creates a new login.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.contrib.auth import password_validation
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from botoxcare.audit import log_action
from botoxcare.errors import DomainError, Refusal, refuse
from botoxcare.roles import Action, require

from ..models import Patient, PortalInvitation
from ..reasons import Reason
from ..tokens import token_hash, token_new

logger = logging.getLogger(__name__)

USERNAME_MAX = User._meta.get_field("username").max_length or 150

# Neutral words only, as for reminders: no diagnosis, drug, dose or clinic name (a clinic's
# name may say what it treats); the patient's name is not needed either.
INVITATION_SUBJECT = "Your invitation to the patient portal"
INVITATION_BODY = """\
Hello from {sender}.

You have been invited to your clinic's patient portal. To set up your sign-in, open this link
within {days} days:

{link}

The link works once. If you were not expecting this message, you can ignore it.
"""


def _open_invitations(patient: Patient) -> QuerySet[PortalInvitation]:
    return PortalInvitation.objects.filter(
        patient=patient, used_at__isnull=True, revoked_at__isnull=True
    )


def portal_invite(*, patient: Patient, by: User, base_url: str) -> PortalInvitation:
    """Invite the patient to the portal (or invite again): any earlier open invitation is
    revoked, and the email with the link (`base_url` + the join page) is sent once the
    invitation is committed. Raises DomainError when the patient already has a login or has
    no email address."""
    require(by, Action.INVITE_TO_PORTAL)
    now = timezone.now()
    with transaction.atomic():
        locked = (
            Patient.objects.select_for_update(of=("self",))
            .select_related("clinic__settings")
            .get(pk=patient.pk)
        )
        if locked.user_id is not None:
            raise refuse(Reason.PORTAL_ALREADY_ACTIVE, "This patient already has a portal login.")
        if not locked.email:
            raise refuse(
                Reason.PORTAL_NEEDS_EMAIL,
                "Add the patient's email address first: the invitation is sent by email.",
            )
        revoked = _open_invitations(locked).update(revoked_at=now)
        days = locked.clinic.settings.portal_invitation_days
        token, hashed = token_new()
        invitation = PortalInvitation.objects.create(
            patient=locked,
            token_hash=hashed,
            sent_to=locked.email,
            created_by=by,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        body = INVITATION_BODY.format(
            sender=locked.clinic.settings.reminder_sender,
            days=days,
            link=base_url.rstrip("/") + reverse("patients:portal-join", args=[token]),
        )
        transaction.on_commit(partial(_invitation_send, invitation.pk, locked.email, body))
        # Never the link or its token: the event says only that an invitation went, where.
        log_action(
            "portal.invited",
            user=by,
            patient=locked,
            target=invitation,
            data={
                "sent_to": locked.email,
                "expires_at": invitation.expires_at,
                "earlier_revoked": revoked,
            },
        )
    return invitation


def _invitation_send(pk: int, to: str, body: str) -> None:
    """After commit: send, and note when it went. A failure is logged by id only (never the
    address or the link); the staff page shows the invitation as not sent, to send again."""
    try:
        send_mail(INVITATION_SUBJECT, body, None, [to])
    except Exception as exc:  # a mail server's failure must not undo the committed invitation
        logger.warning("portal invitation %s not sent: %s", pk, type(exc).__name__)
        return
    PortalInvitation.objects.filter(pk=pk).update(sent_at=timezone.now())


def portal_invitation_revoke(*, patient: Patient, by: User) -> None:
    """Revoke the patient's pending invitation: its link stops working. Raises DomainError
    when there is none."""
    require(by, Action.INVITE_TO_PORTAL)
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        revoked = _open_invitations(patient).update(revoked_at=timezone.now())
        if not revoked:
            raise refuse(Reason.PORTAL_NO_INVITATION, "There is no pending invitation to revoke.")
        log_action("portal.invitation_revoked", user=by, patient=patient, data={"revoked": revoked})


def portal_access_remove(*, patient: Patient, by: User) -> None:
    """Unlink the patient's login and deactivate it (a staff account that was linked by
    mistake is only unlinked, never deactivated); any pending invitation is revoked too.
    Raises DomainError when the patient has no login."""
    require(by, Action.REMOVE_PORTAL_ACCESS)
    with transaction.atomic():
        locked = (
            Patient.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=patient.pk)
        )
        login = locked.user
        if login is None:
            raise refuse(Reason.PORTAL_NO_ACCESS, "This patient has no portal login.")
        locked.user = None
        locked.save(update_fields=["user"])
        revoked = _open_invitations(locked).update(revoked_at=timezone.now())
        deactivated = not (login.is_staff or login.is_superuser or hasattr(login, "staff_profile"))
        if deactivated:
            login.is_active = False
            login.save(update_fields=["is_active"])
        log_action(
            "portal.access_removed",
            user=by,
            patient=locked,
            target=locked,
            data={"user": [login.pk, None], "deactivated": deactivated, "revoked": revoked},
        )


def portal_invitation_accept(*, token: str, username: str, password: str) -> User:
    """The patient accepts an invitation: a new login with the chosen username and password
    (Django's password validators apply) is created and linked to them, and the invitation is
    used. Only a new login is ever linked, so no staff or other patient's account can be.
    Raises DomainError (INVITATION_UNUSABLE, before anything else is checked) when the token
    is unknown, expired, used or revoked, or the patient has a login already; or for a
    username that is taken or invalid, or a weak password."""
    now = timezone.now()
    with transaction.atomic():
        invitation = (
            PortalInvitation.objects.select_for_update()
            .filter(token_hash=token_hash(token))
            .first()
        )
        if invitation is None:
            raise _unusable()
        patient = Patient.objects.select_for_update().get(pk=invitation.patient_id)
        if not invitation.usable_at(now) or patient.user_id is not None:
            raise _unusable()
        user = User(
            username=username.strip(),
            email=patient.email,
            first_name=patient.first_name,
            last_name=patient.last_name,
        )
        _login_check(user, password)
        user.set_password(password)
        user.save()
        patient.user = user
        patient.save(update_fields=["user"])
        invitation.used_at = now
        invitation.save(update_fields=["used_at"])
        log_action(
            "portal.joined",
            user=user,
            patient=patient,
            target=invitation,
            data={"username": user.username, "user": [None, user.pk]},
        )
    return user


def _unusable() -> DomainError:
    return refuse(Reason.INVITATION_UNUSABLE, "This invitation link cannot be used.")


def _login_check(user: User, password: str) -> None:
    refusals = []
    try:
        if not user.username or len(user.username) > USERNAME_MAX:
            raise ValidationError(f"Choose a username of 1 to {USERNAME_MAX} characters.")
        User.username_validator(user.username)
    except ValidationError as error:
        refusals += [
            Refusal(Reason.USERNAME_INVALID, message, field="username")
            for message in error.messages
        ]
    else:
        if User.objects.filter(username__iexact=user.username).exists():
            refusals.append(
                Refusal(
                    Reason.USERNAME_TAKEN,
                    "That username is taken; choose another.",
                    field="username",
                )
            )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        refusals += [
            Refusal(Reason.PASSWORD_WEAK, message, field="password1") for message in error.messages
        ]
    if refusals:
        raise DomainError(*refusals)
