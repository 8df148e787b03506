from __future__ import annotations

from django import forms

from ..validators import CleanInput


class CodeForm(CleanInput, forms.Form):
    """One code: from the authenticator app, or (when signing in) a recovery code."""

    code = forms.CharField(
        label="Code",
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args: object, app_only: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["code"]
        if app_only:
            field.help_text = "The 6 digits your authenticator app shows for this account."
            field.widget.attrs["inputmode"] = "numeric"
        else:
            field.help_text = (
                "The 6 digits your authenticator app shows, or one of your recovery codes."
            )
