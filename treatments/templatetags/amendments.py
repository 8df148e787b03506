"""`can|allows:action`: whether the page's permissions (`can`, botoxcare.roles.permissions)
allow an action named by a variable, such as a timeline entry's amendment action."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def allows(can: Any, action: str) -> bool:
    return bool(action) and bool(can.get(action, False)) if hasattr(can, "get") else False
