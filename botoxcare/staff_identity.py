"""Who the signed-in person is at the clinic: their staff profile with its clinic, and their
roles, read in one query once a request and kept on the user object.

Every staff page needs all three (the session limits ask whether the user is staff, the views
their clinic, the menus and guards their roles); read apart they were three queries a page,
the staff profile, then its clinic, then the user's groups. Nothing is kept between requests:
a role taken away or a profile removed counts from the next request, as before.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from botoxcare.models import StaffProfile

from .roles import Role

LOADED = "_botoxcare_staff_loaded"
ROLES_CACHE = "_botoxcare_roles"  # where roles.user_roles keeps a user's roles


def _role_flag(role: Role) -> str:
    return f"has_role_{role.value}"


def staff_identity_load(user: Any) -> StaffProfile | None:
    """The user's staff profile (its clinic joined), or None; their roles kept for
    `roles.user_roles`. One query the first time for a user object, none after."""
    if not getattr(user, "is_authenticated", False):
        return None
    if getattr(user, LOADED, False):
        return getattr(user, "staff_profile", None)
    memberships = get_user_model().groups.through.objects.filter(user_id=OuterRef("user_id"))
    profile = (
        StaffProfile.objects.filter(user_id=user.pk)
        .select_related("clinic")
        .annotate(
            **{
                _role_flag(role): Exists(memberships.filter(group__name=role.value))
                for role in Role
            }
        )
        .first()
    )
    related = StaffProfile._meta.get_field("user").remote_field
    related.set_cached_value(user, profile)  # user.staff_profile answers without a query
    if profile is not None:
        profile.user = user  # the profile's user is this one, not another read of it
        roles = frozenset(role for role in Role if getattr(profile, _role_flag(role)))
        setattr(user, ROLES_CACHE, roles)
    setattr(user, LOADED, True)
    return profile
