"""The amendment form: the record's amendable fields (treatments/amendable.py) filled with
their current values, and the reason, which is required."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from botoxcare.validators import CleanInput

from ..amendable import amendable_of


class AmendmentForm(CleanInput, forms.Form):
    reason = forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why is the record amended?",
        help_text="Kept with the amendment and shown beside it, with your name and the time.",
    )

    def __init__(self, *args: Any, record: models.Model, **kwargs: Any) -> None:
        self.amendable = amendable_of(record)
        names = list(self.amendable.fields)
        initial = {name: getattr(record, name) for name in names}
        super().__init__(*args, **{**kwargs, "initial": initial})
        reason = self.fields.pop("reason")
        for name, label in self.amendable.fields.items():
            field: Any = record._meta.get_field(name).formfield()  # type: ignore[union-attr]
            field.label = label
            if isinstance(field, forms.TimeField):
                field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
            if isinstance(field, forms.ChoiceField):
                choices = list(field.choices)  # type: ignore[arg-type]
                if choices and choices[0][0] in ("", None):
                    field.choices = [("", "—"), *choices[1:]]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs["rows"] = 3
            self.fields[name] = field
        self.fields["reason"] = reason

    def changes(self) -> dict[str, Any]:
        """Every amendable field as sent; the service keeps those that differ."""
        return {name: self.cleaned_data.get(name) for name in self.amendable.fields}
