"""Form errors with their codes, so each message on a page carries its stable code
(data-refusal) and nothing needs to read the sentence to know which refusal it is; and a
field's widget written without the widget templates (`widget_html`)."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.forms.utils import ErrorList
from django.utils.safestring import SafeString

from botoxcare.widget_html import widget_html as _widget_html

register = template.Library()


@register.filter
def coded(errors: ErrorList | None) -> list[tuple[str, str]]:
    """(code, message) for each error; the code is empty where Django gives none."""
    if not errors:
        return []
    return [(error.code or "", str(message)) for error in errors.as_data() for message in error]


@register.filter
def widget_html(field: BoundField) -> SafeString:
    """`{{ field }}`, the same HTML, an input or a select written in Python."""
    return _widget_html(field)
