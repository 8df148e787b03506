"""The clinic admin's forms: a staff member and their roles; the clinic's settings grouped as
a clinician reads them, with each default shown, and the dose limits as a table."""

from __future__ import annotations

from typing import Any

from django import forms

from ..errors import DomainError
from ..models import ClinicSettings
from ..roles import Role
from ..validators import CleanInput
from .settings_fields import GROUPS, LABELS, LONG_TEXT, SETTINGS_FIELDS, setting_default

ROLE_CHOICES = [
    (Role.CLINICIAN.value, "Clinician"),
    (Role.NURSE.value, "Nurse"),
    (Role.RECEPTIONIST.value, "Receptionist"),
    (Role.ADMIN.value, "Clinic admin"),
]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=ROLE_CHOICES,
            required=False,  # the service refuses no role, with its code
            help_text="What they may do: see docs/PERMISSIONS.md.",
            **kwargs,
        )

    def clean(self, value: Any) -> list[Role]:
        return [Role(v) for v in super().clean(value)]


class StaffAddForm(CleanInput, forms.Form):
    username = forms.CharField(
        max_length=150,
        help_text="What they sign in with: letters, digits and @ . + - _ only.",
        validators=[forms.RegexField(regex=r"^[\w.@+-]+\Z").validators[0]],
    )
    first_name = forms.CharField(max_length=150)
    last_name = forms.CharField(max_length=150)
    email = forms.EmailField(
        help_text="A link to choose their own password is sent here; you never see it."
    )
    roles = RolesField()


class StaffRolesForm(CleanInput, forms.Form):
    roles = RolesField()


WEEKDAYS = [
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
    (7, "Sunday"),
]


class StaffHoursForm(CleanInput, forms.Form):
    """The days and hours a member works; empty hours are the clinic's day."""

    days = forms.TypedMultipleChoiceField(
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Working days",
    )
    work_starts = forms.TimeField(
        required=False,
        label="Starts at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    work_ends = forms.TimeField(
        required=False,
        label="Ends at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    def __init__(self, *args: Any, clinic_day: tuple[Any, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opens, closes = (t.strftime("%H:%M") for t in clinic_day)
        self.fields["work_starts"].help_text = f"Empty: the clinic's day, from {opens}."
        self.fields["work_ends"].help_text = f"Empty: the clinic's day, until {closes}."


class ClinicSettingsForm(CleanInput, forms.Form):
    """The model's own fields and validators; the service checks how they fit together."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(forms.fields_for_model(ClinicSettings, fields=SETTINGS_FIELDS))
        for name, field in self.fields.items():
            field.label = LABELS.get(name, field.label)
            if isinstance(field.widget, forms.TimeInput):
                field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 8 if name in LONG_TEXT else 2

    @classmethod
    def initial_from(cls, cfg: ClinicSettings) -> dict[str, Any]:
        return {name: getattr(cfg, name) for name in SETTINGS_FIELDS}

    def groups(self) -> list[dict[str, Any]]:
        return [
            {
                "title": title,
                "rows": [
                    {
                        "field": self[name],
                        "default": setting_default(name),
                        "long": name in LONG_TEXT,
                    }
                    for name in names
                ],
            }
            for title, names in GROUPS
        ]


class MuscleLimitForm(CleanInput, forms.Form):
    muscle = forms.CharField(widget=forms.HiddenInput)
    label = forms.CharField(max_length=80)
    fixed_units = forms.IntegerField(min_value=0, max_value=500)
    fixed_sites = forms.IntegerField(min_value=0, max_value=100)
    max_units = forms.IntegerField(min_value=0, max_value=500)
    max_sites = forms.IntegerField(min_value=0, max_value=100)


MuscleLimitFormSet = forms.formset_factory(MuscleLimitForm, extra=0, max_num=50)


def muscle_formset(data: Any, cfg: ClinicSettings) -> Any:
    initial = [{"muscle": m, **limit} for m, limit in cfg.muscles_in_order.items()]
    return MuscleLimitFormSet(data, initial=initial, prefix="muscles")


def muscle_limits_from(formset: Any) -> dict[str, Any]:
    return {
        row["muscle"]: {k: v for k, v in row.items() if k != "muscle"}
        for row in formset.cleaned_data
        if row
    }


def settings_add_refusals(form: ClinicSettingsForm, formset: Any, error: DomainError) -> None:
    """Each refusal on its field, or on its cell of the muscle table, or above the form."""
    rows = {f.initial.get("muscle") or f["muscle"].value(): f for f in formset.forms}
    for refusal in error.refusals:
        if refusal.field in form.fields:
            form.add_error(refusal.field, forms.ValidationError(refusal.message, code=refusal.code))
            continue
        if refusal.field.startswith("muscle_limits."):
            _, muscle, column = refusal.field.split(".", 2)
            row = rows.get(muscle)
            if row is not None and column in row.fields:
                row.add_error(column, forms.ValidationError(refusal.message, code=refusal.code))
                continue
        form.add_error(None, forms.ValidationError(refusal.text, code=refusal.code))
