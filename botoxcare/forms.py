"""Form pieces every app's forms share: date widgets, the clinician picker, visit times, and
putting a service's refusals on the form that caused them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .errors import DomainError, Refusal
from .models import Clinic
from .roles import Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def not_future(value: date) -> date:
    if value > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.", code="future_date")
    return value


def future_visit(starts_at: datetime, *, horizon_days: int) -> datetime:
    """A visit is booked in the future, and not absurdly far ahead (a typo in the year)."""
    now = timezone.now()
    if starts_at <= now:
        raise forms.ValidationError("A visit must be booked in the future.", code="visit_past")
    if starts_at > now + timedelta(days=horizon_days):
        years = horizon_days / 365
        ahead = f"{years:g} years" if years >= 1 and years == int(years) else f"{horizon_days} days"
        raise forms.ValidationError(
            f"A visit can be booked at most {ahead} ahead.", code="visit_too_far"
        )
    return starts_at


def clinicians_of(clinic: Clinic) -> QuerySet[Any]:
    return (
        get_user_model()
        .objects.filter(staff_profile__clinic=clinic, groups__name=Role.CLINICIAN)
        .order_by("last_name", "first_name")
    )


class ClinicianChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


def add_refusals(form: forms.BaseForm, error: DomainError) -> None:
    """Show each refusal on the field it belongs to (the form may map a refusal's field to
    one of its own with `field_for_refusal`), or above the form; keyed on the code."""
    place = getattr(form, "field_for_refusal", None)
    for refusal in error.refusals:
        name = place(refusal) if place else _own_field(form, refusal)
        if name:
            form.add_error(name, forms.ValidationError(refusal.message, code=refusal.code))
        else:
            form.add_error(None, forms.ValidationError(refusal.text, code=refusal.code))


def refusal_messages(request: HttpRequest, error: DomainError) -> None:
    """A refusal with no form to show it on: each refusal a message above the page, keyed by
    its code."""
    for refusal in error.refusals:
        messages.error(request, refusal.text, extra_tags=refusal.code)


def _own_field(form: forms.BaseForm, refusal: Refusal) -> str | None:
    return refusal.field if refusal.field in form.fields else None


_EMPTY_FIELDS: dict[tuple[type[forms.BaseForm], str | None], SafeString] = {}


def empty_form_fields(form_class: type[forms.BaseForm], prefix: str | None = None) -> SafeString:
    """The fields of an empty form (`includes/form_fields.html`), written once a process. Only
    for a form class whose unbound form is the same HTML every time: no initial value from
    the clock, choices, labels and limits from code, none from the database or the request.
    Through Django's widget templates a few such fields cost a page more than its rows."""
    key = (form_class, prefix)
    if key not in _EMPTY_FIELDS:
        html = render_to_string("includes/form_fields.html", {"form": form_class(prefix=prefix)})
        _EMPTY_FIELDS[key] = mark_safe(html)  # noqa: S308 (Django's rendering, escaped by it)
    return _EMPTY_FIELDS[key]
