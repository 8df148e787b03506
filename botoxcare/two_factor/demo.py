"""The demo's two-factor sign-in: every demo login has an authenticator app with one published
key, so that someone trying the demo can add it to their phone's app, or, without a phone,
ask `manage.py demo_code <username>` for the code. Never in production: `seed_demo` and
`demo_code` refuse to run there."""

from __future__ import annotations

from base64 import b32decode
from typing import Any

from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from .codes import next_code
from .services import totp_device_add

DEMO_KEY = "DEMO CODE DEMO CODE DEMO CODE DEMO CODE"  # base32, as typed into an app
DEMO_DEVICE_NAME = "Demo authenticator"


def demo_device_add(user: Any) -> bool:
    """Give a demo login the demo's authenticator app, unless it has a device already (one
    set up by the person trying the demo stays theirs). Returns whether one was added."""
    if user_has_device(user, confirmed=None):
        return False
    key = b32decode(DEMO_KEY.replace(" ", "")).hex()
    totp_device_add(user=user, key=key, name=DEMO_DEVICE_NAME)
    return True


def demo_code(username: str) -> str | None:
    """The code the demo's app shows now for `username` (None: not a demo app's login)."""
    device = TOTPDevice.objects.filter(
        user__username=username, name=DEMO_DEVICE_NAME, confirmed=True
    ).first()
    return next_code(device) if device is not None else None
