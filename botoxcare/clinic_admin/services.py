"""The clinic admin's writes: staff and their roles, and the clinic's settings with their
history. Each is one transaction; each refuses with `DomainError` of `AdminReason` codes.

Each change writes one audit event in its transaction (`botoxcare.audit.log_action`):
`staff.added` (an invitation: never its link), `staff.password_link_sent`,
`staff.roles_changed` (`{"roles": [old, new]}`), `staff.deactivated`, `staff.reactivated`,
`staff.sign_in_unlocked`; `staff.hours_changed` (hours.py) and `clinic_settings.changed`
(settings_update.py) with old and new values. (`botoxcare.services`: `clinic.created`,
`staff.created`.)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from ..audit import log_action
from ..errors import Refusal, raise_if, refuse
from ..models import Clinic, StaffProfile
from ..roles import Action, Role, require
from ..security import username_hash, username_paused
from ..two_factor.services import two_factor_devices_delete
from .reasons import AdminReason
from .settings_update import (
    clinic_settings_update as clinic_settings_update,
)  # the page calls it here

security_log = logging.getLogger("botoxcare.security")

LINK_MAIL_SUBJECT = "Your login for {clinic}"
LINK_MAIL_BODY = """\
Hello {name},

{admin} has made you a login for {clinic}. Your username is: {username}

Choose your password here (the link works once, for a few days):
{link}

If you did not expect this, ignore this email; nothing happens until a password is chosen.
"""


def _set_password_link(user: User, base_url: str) -> str:
    """Django's own reset link (the same token and page as "Forgot your password?")."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse("password_reset_confirm", args=[uid, token])


def _mail_send(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


def _set_password_mail_queue(*, user: User, by: User, clinic: Clinic, base_url: str) -> None:
    body = LINK_MAIL_BODY.format(
        name=user.get_full_name() or user.username,
        admin=by.get_full_name() or by.username,
        clinic=clinic.name,
        username=user.username,
        link=_set_password_link(user, base_url),
    )
    subject = LINK_MAIL_SUBJECT.format(clinic=clinic.name)
    transaction.on_commit(partial(_mail_send, user.email, subject, body))


def _roles_refusals(roles: Iterable[Role]) -> list[Refusal]:
    if not list(roles):
        return [Refusal(AdminReason.NO_ROLES, "Choose at least one role.", field="roles")]
    return []


def staff_add(
    *,
    clinic: Clinic,
    by: User,
    username: str,
    email: str,
    roles: list[Role],
    base_url: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """A new staff login for `clinic` with `roles`, with no password: the new member is
    emailed a link to choose one (Django's password-reset token), sent after the commit.

    Raises DomainError: USERNAME_TAKEN, EMAIL_REQUIRED, NO_ROLES.
    """
    require(by, Action.MANAGE_STAFF)
    refusals = _roles_refusals(roles)
    if not email.strip():
        refusals.append(
            Refusal(
                AdminReason.EMAIL_REQUIRED,
                "An email address is needed: the link to choose a password is sent there.",
                field="email",
            )
        )
    users = get_user_model().objects
    if users.filter(username__iexact=username).exists():
        refusals.append(
            Refusal(AdminReason.USERNAME_TAKEN, "This username is taken.", field="username")
        )
    raise_if(refusals, summary="The staff member was not added:")
    with transaction.atomic():
        user: User = users.create_user(
            username=username,
            password=None,  # unusable until they choose one through the emailed link
            email=email.strip(),
            first_name=first_name,
            last_name=last_name,
        )
        StaffProfile.objects.create(user=user, clinic=clinic)
        user.groups.set(_groups(roles))
        _set_password_mail_queue(user=user, by=by, clinic=clinic, base_url=base_url)
        # An invitation to the clinic: never the link to choose a password.
        named = {"username": user.username, "email": user.email, "roles": _names(roles)}
        _logged("staff.added", member=user, by=by, clinic=clinic, **named)
    return user


def staff_set_password_send(*, member: User, by: User, clinic: Clinic, base_url: str) -> None:
    """Email the member a new link to choose a password (any earlier link stays valid only
    until a password is set).

    Raises DomainError: EMAIL_REQUIRED, INACTIVE_MEMBER.
    """
    require(by, Action.MANAGE_STAFF)
    if not member.is_active:
        raise refuse(
            AdminReason.INACTIVE_MEMBER, "Reactivate this member before sending them a link."
        )
    if not member.email:
        raise refuse(AdminReason.EMAIL_REQUIRED, "This member has no email address.")
    with transaction.atomic():
        _set_password_mail_queue(user=member, by=by, clinic=clinic, base_url=base_url)
        _logged("staff.password_link_sent", member=member, by=by, clinic=clinic, email=member.email)


def staff_sign_in_unlock(*, member: User, by: User) -> int:
    """Lift the pause on signing in as `member` after repeated failures: every failed attempt
    counted for their username, from any address, is forgotten (axes' reset). An address
    paused for trying many usernames stays paused. Returns the attempt records removed.

    Raises DomainError: SIGN_IN_NOT_PAUSED.
    """
    require(by, Action.MANAGE_STAFF)
    if not username_paused(username=member.username):
        raise refuse(AdminReason.SIGN_IN_NOT_PAUSED, "Signing in is not paused for this member.")
    with transaction.atomic():
        removed = int(axes_reset(username=member.username))
        _logged("staff.sign_in_unlocked", member=member, by=by, attempts_removed=removed)
    # The security log keeps its line too, beside the audit event.
    security_log.warning(
        "sign-in unlocked: user_id=%s username_hash=%s by_user_id=%s attempts=%s",
        member.pk,
        username_hash(member.username),
        by.pk,
        removed,
    )
    return removed


def staff_two_factor_reset(*, member: User, by: User, clinic: Clinic) -> int:
    """Remove the member's two-factor devices (authenticator app and recovery codes), for a
    lost phone: they set it up again at their next sign-in, and a session of theirs that gave
    a code is asked to set it up before its next page. `member` is one of `clinic`'s staff
    (the page's selector gives 404 otherwise). Returns the devices removed.

    Raises DomainError: TWO_FACTOR_NOT_SET_UP.
    """
    require(by, Action.MANAGE_STAFF)
    with transaction.atomic():
        removed = two_factor_devices_delete(user=member)
        if not removed:
            raise refuse(
                AdminReason.TWO_FACTOR_NOT_SET_UP, "Two-factor sign-in is not set up for them."
            )
        log_action(
            "staff.two_factor_reset",
            user=by,
            clinic=clinic,
            target=member.staff_profile,
            data={"member": member.pk, "devices_removed": removed},
        )
    return removed


def _groups(roles: Iterable[Role]) -> list[Group]:
    return [Group.objects.get_or_create(name=role.value)[0] for role in roles]


def _other_active_admins(clinic: Clinic, member: User) -> bool:
    """Whether an active admin other than `member` remains; the clinic's staff rows are
    locked first, so two admins removing each other at once cannot both succeed."""
    list(StaffProfile.objects.select_for_update().filter(clinic=clinic).values_list("pk"))
    return (
        get_user_model()
        .objects.filter(staff_profile__clinic=clinic, is_active=True, groups__name=Role.ADMIN)
        .exclude(pk=member.pk)
        .exists()
    )


def staff_roles_change(*, member: User, by: User, clinic: Clinic, roles: list[Role]) -> None:
    """Give `member` exactly `roles`.

    Raises DomainError: NO_ROLES; OWN_ADMIN_ROLE (an admin cannot take away their own admin
    role); LAST_ADMIN (the clinic's last active admin keeps the role).
    """
    require(by, Action.MANAGE_STAFF)
    raise_if(_roles_refusals(roles), summary="The roles were not changed:")
    earlier = _roles_of(member)
    had_admin = Role.ADMIN in earlier
    losing_admin = had_admin and Role.ADMIN not in roles
    if losing_admin and member.pk == by.pk:
        raise refuse(
            AdminReason.OWN_ADMIN_ROLE,
            "You cannot take away your own admin role; another admin can.",
            field="roles",
        )
    with transaction.atomic():
        if losing_admin and member.is_active and not _other_active_admins(clinic, member):
            raise refuse(
                AdminReason.LAST_ADMIN,
                "This is the clinic's last admin: make someone else an admin first.",
                field="roles",
            )
        member.groups.set(_groups(roles))
        roles_now = [_names(earlier), _names(roles)]
        _logged("staff.roles_changed", member=member, by=by, clinic=clinic, roles=roles_now)


def _names(roles: Iterable[Role]) -> list[str]:
    return sorted(Role(r).value for r in roles)


def _logged(
    action: str, *, member: User, by: User, clinic: Clinic | None = None, **data: Any
) -> None:
    """The audit event of a change to `member` (the clinic defaults to `by`'s)."""
    log_action(action, user=by, clinic=clinic, target=member, data={"member": member.pk, **data})


def _roles_of(member: User) -> frozenset[Role]:
    names = set(member.groups.values_list("name", flat=True))
    return frozenset(r for r in Role if r.value in names)


def staff_deactivate(*, member: User, by: User, clinic: Clinic) -> None:
    """The member can no longer sign in; nothing of theirs is deleted (their name stays on
    every record they made). Their open sessions end at their next request.

    Raises DomainError: OWN_DEACTIVATION, LAST_ADMIN, ALREADY_INACTIVE.
    """
    require(by, Action.MANAGE_STAFF)
    if member.pk == by.pk:
        raise refuse(AdminReason.OWN_DEACTIVATION, "You cannot deactivate yourself.")
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=member.pk)
        if not locked.is_active:
            raise refuse(AdminReason.ALREADY_INACTIVE, "This member is already deactivated.")
        if Role.ADMIN in _roles_of(locked) and not _other_active_admins(clinic, locked):
            raise refuse(
                AdminReason.LAST_ADMIN,
                "This is the clinic's last admin: make someone else an admin first.",
            )
        locked.is_active = False
        locked.save(update_fields=["is_active"])
        _logged("staff.deactivated", member=locked, by=by, clinic=clinic, is_active=[True, False])


def staff_reactivate(*, member: User, by: User) -> None:
    """The member can sign in again with their old password.

    Raises DomainError: ALREADY_ACTIVE.
    """
    require(by, Action.MANAGE_STAFF)
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=member.pk)
        if locked.is_active:
            raise refuse(AdminReason.ALREADY_ACTIVE, "This member is already active.")
        locked.is_active = True
        locked.save(update_fields=["is_active"])
        _logged("staff.reactivated", member=locked, by=by, is_active=[False, True])
