"""The QR code an authenticator app scans, as inline SVG (no script, no image request)."""

from __future__ import annotations

import io

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def setup_qr_svg(device: TOTPDevice) -> SafeString:
    """The device's `otpauth://` address as an SVG element (segno writes only its own markup
    from the address's bits, so it is safe to place in the page)."""
    out = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        out,
        kind="svg",
        xmldecl=False,
        svgns=True,
        scale=5,
        border=4,
        title="QR code to scan with an authenticator app",
        svgclass="qr",
        lineclass=None,
    )
    return mark_safe(out.getvalue().decode())  # noqa: S308
