"""Who must enter a code, and whether they have what to enter it with. One definition, read by
the middleware, the pages and the clinic admin's staff page."""

from __future__ import annotations

from typing import Any

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice


def is_staff_or_operator(user: Any) -> bool:
    """Clinic staff (a staff profile) and the deployment's operators (Django's `/admin/`)."""
    return hasattr(user, "staff_profile") or bool(user.is_staff or user.is_superuser)


def is_enrolled(user: Any) -> bool:
    """Whether the user has a confirmed device (an authenticator app, or recovery codes)."""
    return bool(user.is_authenticated and user_has_device(user, confirmed=True))


def two_factor_required(user: Any) -> bool:
    """Staff and operators always; a patient once they have set it up. (Setting up always
    makes an authenticator app, and a reset removes every device, so for a patient one query
    for the app answers, on each of their pages.)"""
    if not user.is_authenticated:
        return False
    if is_staff_or_operator(user):
        return True
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def is_verified(user: Any) -> bool:
    """Whether a code was entered in this session (django-otp's middleware sets the device)."""
    return getattr(user, "otp_device", None) is not None


def enrolled_at(user: Any) -> Any:
    """When the user's authenticator app was set up (the earliest confirmed), or None."""
    device = (
        TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("created_at").first()
    )
    return device.created_at if device is not None else None
