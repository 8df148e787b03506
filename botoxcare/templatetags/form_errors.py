"""Form errors with their codes, so each message on a page carries its stable code
(data-refusal) and nothing needs to read the sentence to know which refusal it is."""

from __future__ import annotations

from django import template
from django.forms.utils import ErrorList

register = template.Library()


@register.filter
def coded(errors: ErrorList | None) -> list[tuple[str, str]]:
    """(code, message) for each error; the code is empty where Django gives none."""
    if not errors:
        return []
    return [(error.code or "", str(message)) for error in errors.as_data() for message in error]
