"""A form field's widget written in Python: the HTML Django's widget templates write for an
`<input>` or a `<select>`, without going through the template engine.

Through the templates each widget costs an `attrs.html` include per element and a template
render per option; the injection form's sites and vials table (some forty inputs and
selects) spent most of its time there. `widget_html(bound_field)` gives the same bytes for
the widgets it knows (tests compare it with Django's rendering for each kind, bound and
unbound, with errors) and Django's own rendering for every other widget.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.widgets import Input
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "number", "email", "date", "datetime", "time", "url", "tel")
)
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _text(value: Any) -> str:
    return str(conditional_escape(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """`django/forms/widgets/attrs.html`: False left out, True a bare name."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _known(widget: forms.Widget) -> str:
    if widget.is_localized:
        return ""
    template = widget.template_name
    if isinstance(widget, Input) and template in INPUT_TEMPLATES:
        return "input"
    if (
        type(widget) is forms.Select
        and template == SELECT_TEMPLATE
        and widget.option_template_name == OPTION_TEMPLATE
    ):
        return "select"
    return ""


def widget_html(field: forms.BoundField) -> SafeString:
    """`str(field)` for the field's widget, written here when it is an input or a select."""
    widget = field.field.widget
    kind = "" if field.field.localize else _known(widget)
    if not kind:
        return SafeString(str(field))
    # What BoundField.as_widget passes to the widget.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    head = f'name="{_text(context["name"])}"'
    if kind == "input":
        value = context["value"]
        shown = f' value="{_text(value)}"' if value is not None else ""
        html = f'<input type="{_text(context["type"])}" {head}{shown}{_attrs(context["attrs"])}>'
        return mark_safe(html)  # noqa: S308 (every value escaped above)
    parts = [f"<select {head}{_attrs(context['attrs'])}>"]
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)
