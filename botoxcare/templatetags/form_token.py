"""`{% form_token %}`: the hidden field that makes a form's post count once
(botoxcare.submissions)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from ..submissions import FIELD, form_token_new

register = template.Library()


@register.simple_tag
def form_token() -> SafeString:
    """A fresh token each time the form is shown."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_token_new())
