"""Two-factor writes, each one transaction with its audit event.

django-otp's devices keep their own throttle (each failure doubles the wait before the next
try, from one second) and refuse a time step's code twice; these services use both and say
which refusal it was (`TwoFactorReason`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ..audit import log_action
from ..errors import DomainError, Refusal
from .codes import code_typed, looks_like_app_code
from .reasons import TwoFactorReason
from .rules import is_enrolled

RECOVERY_CODES = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

WRONG_CODE = (
    "That code was not right. Enter the 6-digit code your authenticator app shows now "
    "(each code works once), or one of your recovery codes."
)


def _throttled(until: datetime) -> Refusal:
    wait = max(1, round((until - timezone.now()).total_seconds()))
    return Refusal(
        TwoFactorReason.THROTTLED,
        f"Too many wrong codes: wait {wait} second{'s' if wait != 1 else ''} before trying "
        "again. Each wrong code doubles the wait.",
        field="code",
    )


def totp_device_pending(*, user: Any) -> TOTPDevice:
    """The user's authenticator app being set up: unconfirmed until a code from it is
    entered (the same one on each visit, so a scanned code stays right). Refuses with
    ALREADY_SET_UP when the user has a confirmed device: a second one is added only after a
    reset, never by someone who has not entered a code."""
    if is_enrolled(user):
        raise DomainError(
            Refusal(TwoFactorReason.ALREADY_SET_UP, "Two-factor sign-in is already set up.")
        )
    pending = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-pk").first()
    return pending or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def _recovery_codes_make(user: Any) -> list[str]:
    """Ten new single-use codes, replacing any the user had."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def two_factor_enrol(*, user: Any, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator app with a code from it; make the recovery codes.

    Returns the device (for `django_otp.login`) and the recovery codes, shown once. Raises
    DomainError: ALREADY_SET_UP, NOT_SET_UP (no pending device: the page starts one),
    THROTTLED, WRONG_CODE (counted by the device's throttle and audited)."""
    with transaction.atomic():
        if is_enrolled(user):
            raise DomainError(
                Refusal(TwoFactorReason.ALREADY_SET_UP, "Two-factor sign-in is already set up.")
            )
        device = (
            TOTPDevice.objects.devices_for_user(user, confirmed=False)
            .select_for_update()
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise DomainError(
                Refusal(
                    TwoFactorReason.NOT_SET_UP,
                    "Scan the new QR code and enter its code.",
                    field="code",
                )
            )
        allowed, why = device.verify_is_allowed()
        if allowed and device.verify_token(code_typed(code)):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.devices_for_user(user, confirmed=False).delete()
            codes = _recovery_codes_make(user)
            log_action(
                "auth.two_factor_enrolled",
                user=user,
                target=device,
                data={"recovery_codes": len(codes)},
            )
            return device, codes
        refusal = (
            Refusal(TwoFactorReason.WRONG_CODE, WRONG_CODE, field="code")
            if allowed
            else _throttled(why["locked_until"])
        )
        # Kept with the device's failure count: the refusal is raised after the commit.
        log_action(
            "auth.two_factor_failed",
            user=user,
            target=device,
            data={"stage": "enrol", "reason": refusal.code},
        )
    raise DomainError(refusal)


def two_factor_verify(*, user: Any, code: str) -> Device:
    """Check a code from the user's authenticator app, or one of their recovery codes (which
    is then used up). Returns the device that accepted it (for `django_otp.login`).

    Raises DomainError: THROTTLED (after repeated wrong codes, until the device's wait is
    over), WRONG_CODE. Every outcome is audited."""
    typed = code_typed(code)
    kind = "app" if looks_like_app_code(typed) else "recovery"
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if kind == "app" else StaticDevice
    refusal: Refusal
    with transaction.atomic():
        devices = list(
            model.objects.devices_for_user(user, confirmed=True).select_for_update().order_by("pk")
        )
        judged = [(d, *d.verify_is_allowed()) for d in devices]
        open_ = [d for d, allowed, _ in judged if allowed]
        if devices and not open_:
            refusal = _throttled(min(why["locked_until"] for _, _, why in judged))
        else:
            for device in open_:
                if device.verify_token(typed):
                    log_action("auth.two_factor_verified", user=user, data={"method": kind})
                    if kind == "recovery":
                        left = StaticToken.objects.filter(device__user=user).count()
                        log_action(
                            "auth.recovery_code_used",
                            user=user,
                            target=device,
                            data={"remaining": left},
                        )
                    return device
            refusal = Refusal(TwoFactorReason.WRONG_CODE, WRONG_CODE, field="code")
        log_action(
            "auth.two_factor_failed",
            user=user,
            data={"stage": "verify", "method": kind, "reason": refusal.code},
        )
    raise DomainError(refusal)


def two_factor_devices_delete(*, user: Any) -> int:
    """Remove every two-factor device of the user (they set it up again at their next
    sign-in). A session verified with one of them is no longer verified: django-otp's
    middleware finds no device for it. The caller audits, in its own transaction."""
    removed = 0
    for device in list(devices_for_user(user, confirmed=None)):
        device.delete()
        removed += 1
    return removed


def totp_device_add(*, user: Any, key: str, name: str = APP_DEVICE_NAME) -> TOTPDevice:
    """A confirmed authenticator device with a known key: the demo's logins only."""
    return TOTPDevice.objects.create(user=user, key=key, name=name, confirmed=True)
