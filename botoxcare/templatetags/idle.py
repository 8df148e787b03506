"""`<body{% idle_clock %}>`: what static/js/idle.js needs to warn before the idle sign-out,
rendered from the session's clock (botoxcare.idle); nothing for a signed-out visitor."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..idle import idle_seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def idle_clock(context: dict[str, Any]) -> SafeString | str:
    request = context.get("request")
    left = idle_seconds_left(request) if request is not None else None
    if left is None:
        return ""
    return format_html(
        ' data-idle-seconds="{}" data-idle-warn-seconds="{}" data-idle-ping="{}"',
        left,
        settings.IDLE_WARNING_SECONDS,
        reverse("session-ping"),
    )
