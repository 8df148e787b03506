"""Writes about clinics and their staff."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, User
from django.db import transaction

from .audit import log_action
from .models import Clinic, ClinicSettings, StaffProfile
from .roles import Role


def clinic_create(*, name: str, slug: str, phone: str = "") -> Clinic:
    """A clinic with its settings at the protocol's defaults."""
    with transaction.atomic():
        clinic = Clinic.objects.create(name=name, slug=slug, phone=phone)
        ClinicSettings.objects.create(clinic=clinic)
        log_action("clinic.created", clinic=clinic, target=clinic, data={"slug": slug})
    return clinic


def staff_create(
    *,
    clinic: Clinic,
    username: str,
    password: str,
    roles: list[Role],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """A staff login for one clinic with the given roles."""
    with transaction.atomic():
        user: User = get_user_model().objects.create_user(
            username=username,
            password=password,
            first_name=first_name,
            last_name=last_name,
            email=email,
        )
        StaffProfile.objects.create(user=user, clinic=clinic)
        user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
        # No password in the event; who made the login is the signed-in user, if any (a
        # management command or the demo seed has none).
        log_action(
            "staff.created",
            clinic=clinic,
            target=user,
            data={"member": user.pk, "username": username, "roles": sorted(r.value for r in roles)},
        )
    return user
