"""The clinic admin's forms: a staff member and their roles; the clinic's settings grouped as
a clinician reads them, with each default shown, and the dose limits as a table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import NOT_PROVIDED

from ..errors import DomainError
from ..models import ClinicSettings
from ..roles import Role
from .services import as_text

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


class StaffAddForm(forms.Form):
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


class StaffRolesForm(forms.Form):
    roles = RolesField()


# The settings page, in the order a clinician reads it; every editable field is in one group.
GROUPS: list[tuple[str, list[str]]] = [
    (
        "Re-treatment",
        ["retreatment_due_weeks", "retreatment_window_weeks", "recent_toxin_days"],
    ),
    (
        "Diagnosis and start rule",
        ["chronic_headache_days", "chronic_migraine_days", "min_failed_preventives"],
    ),
    ("Consent", ["consent_valid_days", "consent_warning_days"]),
    ("Doses", ["units_per_site", "max_total_units"]),
    ("Reminders", ["reminder_sender", "reminder_time"]),
    (
        "Visits",
        [
            "follow_up_weeks",
            "follow_up_time",
            "follow_up_minutes",
            "appointment_minutes",
            "booking_horizon_days",
        ],
    ),
    ("Portal and call-backs", ["portal_invitation_days", "callback_target_days"]),
    ("Public page", ["public_intro", "public_steps"]),
    ("Aftercare", ["aftercare_instructions", "comfort_measures"]),
    ("Documents", ["paper_size"]),
]
SETTINGS_FIELDS = [name for _, names in GROUPS for name in names]

LABELS = {
    "retreatment_due_weeks": "Re-treatment due after (weeks)",
    "retreatment_window_weeks": "Re-treatment window opens after (weeks)",
    "recent_toxin_days": "Recent toxin flagged within (days)",
    "chronic_headache_days": "Headache days a month, at least",
    "chronic_migraine_days": "Migraine days a month, at least",
    "min_failed_preventives": "Failed preventives before starting",
    "consent_valid_days": "Consent valid for (days)",
    "consent_warning_days": "Warn before a consent ends (days)",
    "units_per_site": "Units a site",
    "max_total_units": "Maximum total units a session",
    "reminder_sender": "Reminders are signed",
    "reminder_time": "Reminders sent at",
    "follow_up_weeks": "Follow-up visit after a session (weeks)",
    "follow_up_time": "Follow-up visit suggested at",
    "follow_up_minutes": "Follow-up visit length (minutes)",
    "appointment_minutes": "Other appointments' length (minutes)",
    "booking_horizon_days": "Bookings at most this far ahead (days)",
    "portal_invitation_days": "Portal invitation link valid for (days)",
    "callback_target_days": "Call-back answered within (working days)",
    "public_intro": "Opening words",
    "public_steps": "The steps",
    "aftercare_instructions": "Aftercare instructions",
    "comfort_measures": "Comfort measures suggested",
    "paper_size": "Paper size",
}
LONG_TEXT = {"public_intro", "public_steps", "aftercare_instructions"}


def setting_default(name: str) -> str:
    default = ClinicSettings._meta.get_field(name).default
    if default is NOT_PROVIDED:
        return ""
    return as_text(default() if callable(default) else default)


class ClinicSettingsForm(forms.Form):
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


class MuscleLimitForm(forms.Form):
    muscle = forms.CharField(widget=forms.HiddenInput)
    label = forms.CharField(max_length=80)
    fixed_units = forms.IntegerField(min_value=0, max_value=500)
    fixed_sites = forms.IntegerField(min_value=0, max_value=100)
    max_units = forms.IntegerField(min_value=0, max_value=500)
    max_sites = forms.IntegerField(min_value=0, max_value=100)


MuscleLimitFormSet = forms.formset_factory(MuscleLimitForm, extra=0, max_num=50)


def muscle_formset(data: Any, cfg: ClinicSettings) -> Any:
    initial = [{"muscle": m, **limit} for m, limit in cfg.muscle_limits.items()]
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
