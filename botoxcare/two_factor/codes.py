"""Codes and keys as people read and type them."""

from __future__ import annotations

import re
import time
from base64 import b32encode

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def key_for_typing(device: TOTPDevice) -> str:
    """The secret as an authenticator app takes it typed in: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def code_typed(value: str) -> str:
    """A code as typed, without the spaces and dashes people add, in lower case."""
    return re.sub(r"[\s-]+", "", value or "").lower()


def looks_like_app_code(code: str, device_digits: int = 6) -> bool:
    return len(code) == device_digits and code.isdigit()


def next_code(device: TOTPDevice, now: float | None = None) -> str:
    """The code the device accepts next: this time step's, or, when this step's was already
    used (django-otp accepts each step once), the next step's, which its tolerance of one step
    accepts now. For the demo's `demo_code` and for tests; never shown in the app."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if now is None else now
    current = totp.t()
    wanted = max(current, device.last_t + 1)
    totp.drift += wanted - current
    return f"{totp.token():0{device.digits}d}"
