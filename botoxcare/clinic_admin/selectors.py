"""The clinic admin's reads: the clinic's staff, and the history of its settings."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from ..models import Clinic, ClinicSettings, ClinicSettingsChange
from ..roles import Role
from ..security import username_paused
from ..two_factor.rules import enrolled_at
from .settings_fields import LABELS

COLUMN_LABELS = {
    "label": "name",
    "fixed_units": "fixed units",
    "fixed_sites": "fixed sites",
    "max_units": "maximum units",
    "max_sites": "maximum sites",
}


def staff_of(*, clinic: Clinic) -> list[dict[str, Any]]:
    """The clinic's staff, active first, each with their roles (two queries)."""
    users = (
        get_user_model()
        .objects.filter(staff_profile__clinic=clinic)
        .prefetch_related("groups")
        .order_by("-is_active", "last_name", "first_name", "username")
    )
    return [
        {
            "user": user,
            "roles": [r for r in Role if r.value in {g.name for g in user.groups.all()}],
        }
        for user in users
    ]


def staff_member(*, clinic: Clinic, pk: int) -> User:
    """One of the clinic's staff; anyone else's id is a 404."""
    member: User = get_object_or_404(get_user_model(), pk=pk, staff_profile__clinic=clinic)
    return member


def sign_in_paused(*, member: User) -> bool:
    """Whether the member's sign-in is paused after repeated failures (their page then
    offers to unlock it)."""
    return username_paused(username=member.username)


def two_factor_since(*, member: User) -> Any:
    """When the member set up two-factor sign-in (None: not yet, so at their next
    sign-in)."""
    return enrolled_at(member)


def setting_label(field: str, muscle_limits: dict[str, Any]) -> str:
    """What the history calls a field: the form's label, or a muscle's row and column."""
    if field.startswith("muscle_limits."):
        _, muscle, column = field.split(".", 2)
        name = muscle_limits.get(muscle, {}).get("label", muscle)
        return f"{name}: {COLUMN_LABELS.get(column, column)}"
    return LABELS.get(field, field)  # a field removed since: its name


def settings_history(*, clinic: Clinic, limit: int = 100) -> list[dict[str, Any]]:
    """The latest changes to the clinic's settings, newest first, labelled for the page."""
    limits = ClinicSettings.objects.get(clinic=clinic).muscle_limits
    rows: QuerySet[ClinicSettingsChange] = ClinicSettingsChange.objects.filter(
        clinic=clinic
    ).select_related("changed_by")[:limit]
    return [{"change": row, "label": setting_label(row.field, limits)} for row in rows]
