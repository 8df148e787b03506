"""The diary's forms, shared by the portal and the staff pages: a day in full, the quick
yes/no of the missing days, a medicine for the patient's list, and a CSV file to import."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django import forms

from botoxcare.validators import CleanInput

from .models import ActivityEffect, AcuteMedicine, DiaryEntry, MedicineClass, Severity
from .services import DayRecord
from .services.entries import MAX_DOSES

YES_NO = [("yes", "Yes"), ("no", "No")]
FEATURE_CHOICES = [
    ("throbbing", "Throbbing or pulsing"),
    ("one_sided", "On one side of the head"),
    ("worse_with_activity", "Worse with moving about"),
    ("nausea", "Feeling sick (nausea) or being sick"),
    ("light_sound_sensitivity", "Bothered by light and sound"),
    ("aura", "Aura (seeing or feeling things before the headache)"),
]
# The most a file to import may weigh: years of days fit in far less.
IMPORT_MAX_BYTES = 1_000_000


class DiaryDayForm(CleanInput, forms.Form):
    """One day. Details typed on a day marked "no headache" are left out, not refused."""

    headache = forms.ChoiceField(
        label="Did you have a headache on this day?", choices=YES_NO, widget=forms.RadioSelect
    )
    started_at = forms.TimeField(
        label="When did it start?",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    duration_hours = forms.DecimalField(
        label="How many hours did it last?",
        required=False,
        min_value=0,
        max_value=24,
        max_digits=3,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    severity = forms.ChoiceField(
        label="How bad was it at its worst?",
        required=False,
        choices=Severity.choices,
        widget=forms.RadioSelect,
    )
    pain_score = forms.IntegerField(
        label="Pain score, 0 (none) to 10 (worst imaginable), if you like",
        required=False,
        min_value=0,
        max_value=10,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    features = forms.MultipleChoiceField(
        label="Which of these did you have?",
        required=False,
        choices=FEATURE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    activity_effect = forms.ChoiceField(
        label="Effect on work or daily activities",
        required=False,
        choices=ActivityEffect.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label="Why is this day changed now?",
        required=False,
        max_length=1000,
        help_text="The day is past the time it can simply be edited: the original is kept.",
    )

    def __init__(
        self,
        *args: Any,
        medicines: Iterable[AcuteMedicine] = (),
        entry: DiaryEntry | None = None,
        amending: bool = False,
        **kwargs: Any,
    ) -> None:
        # Unbound (a GET passes `request.POST or None`, so a None data): start from the day.
        data = args[0] if args else kwargs.get("data")
        if entry is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_of(entry)
        super().__init__(*args, **kwargs)
        self.medicine_fields: list[tuple[AcuteMedicine, str]] = []
        for medicine in medicines:
            name = f"dose_{medicine.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{medicine.name}: doses taken",
                required=False,
                min_value=0,
                max_value=MAX_DOSES,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                help_text=medicine.get_medicine_class_display(),
            )
            self.medicine_fields.append((medicine, name))
        if not amending:
            del self.fields["reason"]

    @staticmethod
    def initial_of(entry: DiaryEntry) -> dict[str, Any]:
        return {
            "headache": "yes" if entry.headache else "no",
            "started_at": entry.started_at,
            "duration_hours": entry.duration_hours,
            "severity": entry.severity,
            "pain_score": entry.pain_score,
            "features": [name for name, _ in FEATURE_CHOICES if getattr(entry, name)],
            "activity_effect": entry.activity_effect,
            "note": entry.note,
            **{f"dose_{m.medicine_id}": m.doses for m in entry.medicines.all()},
        }

    def medicine_boundfields(self) -> list[forms.BoundField]:
        return [self[name] for _medicine, name in self.medicine_fields]

    def field_for_refusal(self, refusal: Any) -> str | None:
        if refusal.field in self.fields:
            return str(refusal.field)
        return None

    def record(self) -> DayRecord:
        data = self.cleaned_data
        doses = {m.pk: data[name] for m, name in self.medicine_fields if data.get(name)}
        if data["headache"] != "yes":
            return DayRecord(headache=False, medicines=doses, note=data["note"])
        return DayRecord(
            headache=True,
            started_at=data["started_at"],
            duration_hours=data["duration_hours"],
            severity=data["severity"],
            pain_score=data["pain_score"],
            features=frozenset(data["features"]),
            medicines=doses,
            activity_effect=data["activity_effect"],
            note=data["note"],
        )


class MissingDaysForm(CleanInput, forms.Form):
    """Yes or no for each missing day; a day left unanswered stays missing."""

    def __init__(self, *args: Any, days: Iterable[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.days = list(days)
        for day in self.days:
            self.fields[f"d_{day.isoformat()}"] = forms.ChoiceField(
                label=f"{day:%A} {day.day} {day:%B}: a headache?",
                required=False,
                choices=YES_NO,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[date, bool]:
        return {
            day: self.cleaned_data[f"d_{day.isoformat()}"] == "yes"
            for day in self.days
            if self.cleaned_data.get(f"d_{day.isoformat()}")
        }


class AcuteMedicineForm(CleanInput, forms.Form):
    name = forms.CharField(label="Medicine and strength", max_length=100)
    medicine_class = forms.ChoiceField(label="Kind of medicine", choices=MedicineClass.choices)


class DiaryImportForm(CleanInput, forms.Form):
    file = forms.FileField(label="Diary file (CSV)")

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                "The file is too large to be a diary (at most 1 MB).", code="import_too_large"
            )
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file could not be read: please save it as CSV in UTF-8.",
                code="import_not_utf8",
            ) from error
