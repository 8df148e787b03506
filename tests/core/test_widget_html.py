"""`botoxcare.widget_html` writes an input's or a select's HTML as Django's widget templates
do, byte for byte: each kind of widget, bound and unbound, with errors and help text, with
values that need escaping; and the app's real forms (the injection form's table, the
schedules' filters) field by field."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django import forms

from botoxcare.forms import DateInput, DateTimeInput
from botoxcare.widget_html import _known, widget_html


class Every(forms.Form):
    number = forms.IntegerField(min_value=0, max_value=50, help_text="Units")
    text = forms.CharField(max_length=20, required=False)
    email = forms.EmailField(required=False)
    day = forms.DateField(widget=DateInput(), required=False)
    moment = forms.DateTimeField(widget=DateTimeInput(), required=False)
    choice = forms.ChoiceField(choices=[("", "—"), ("a", 'A & "b"'), ("<c>", "C")])
    grouped = forms.ChoiceField(
        choices=[("", "Pick"), ("Left", [("l1", "L 1"), ("l2", "L 2")]), ("r", "Right")],
        required=False,
    )
    attrs = forms.IntegerField(
        required=False, widget=forms.NumberInput(attrs={"data-x": "1<2", "readonly": True})
    )
    note = forms.CharField(widget=forms.Textarea, required=False)  # not written here: Django's
    tick = forms.BooleanField(required=False)  # likewise


CASES = {
    "unbound": lambda: Every(),
    "initial": lambda: Every(
        initial={
            "number": 5,
            "choice": "a",
            "day": date(2026, 3, 29),
            "moment": datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
        }
    ),
    "bound": lambda: Every(
        {
            "moment": "2026-03-29T09:05",
            "number": "7",
            "text": '<b>"x"</b>',
            "choice": "<c>",
            "grouped": "l2",
        }
    ),
    "errors": lambda: Every({"number": "99", "email": "nope", "choice": "zz"}),
    "prefixed": lambda: Every({"p-number": "1"}, prefix="p"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_widget_is_what_djangos_templates_write(case):
    form = CASES[case]()
    if form.is_bound:
        form.is_valid()
    for field in form:
        assert widget_html(field) == str(field), (case, field.name)
    # Written here, not handed back to Django (which would make the comparison empty):
    written = {field.name for field in form if _known(field.field.widget)}
    assert written == {"number", "text", "email", "day", "moment", "choice", "grouped", "attrs"}


@pytest.mark.django_db
def test_the_apps_forms_field_by_field(clinic):
    from pages.staff.schedules.forms import ScheduleFilterForm
    from patients.forms import ContactAttemptForm

    forms_seen = [
        ScheduleFilterForm(None, clinic=clinic),
        ScheduleFilterForm({"status": "overdue", "sort": "name", "clinician": "x"}, clinic=clinic),
        ContactAttemptForm(),
        ContactAttemptForm({"channel": "sms"}),
    ]
    for form in forms_seen:
        if form.is_bound:
            form.is_valid()
        for field in form:
            assert widget_html(field) == str(field), field.name
