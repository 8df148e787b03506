"""The portal's forms: the time a patient chooses for their own re-treatment visit."""

from __future__ import annotations

from datetime import UTC, datetime

from django import forms
from django.utils import timezone

from botoxcare.validators import CleanInput
from patients.calendar import Slot

# A user id fits a 32-bit integer column on every database the clinic runs on.
LARGEST_ID = 2**31 - 1


def slot_value(slot: Slot) -> str:
    """A free time as the form posts it: `<ISO start in the clinic's zone>|<clinician id>`."""
    return f"{timezone.localtime(slot.starts_at).isoformat()}|{slot.clinician_id}"


class SlotForm(CleanInput, forms.Form):
    """One free time, read strictly: an aware ISO moment and a clinician's id. Whether it is
    still free, inside the window and the clinic's own is the service's to judge."""

    slot = forms.CharField(
        max_length=80,
        label="Free times",
        error_messages={"required": "Please choose a time."},
    )

    def clean_slot(self) -> tuple[datetime, int]:
        start, bar, who = self.cleaned_data["slot"].partition("|")
        unreadable = forms.ValidationError(
            "That time could not be read. Please choose one of the times listed.",
            code="slot_invalid",
        )
        if not bar or not (who.isascii() and who.isdigit()) or not 0 < int(who) <= LARGEST_ID:
            raise unreadable
        try:
            at = datetime.fromisoformat(start)
            at.astimezone(UTC)  # a moment far out of range fails here, not later
        except (ValueError, OverflowError) as error:
            raise unreadable from error
        if timezone.is_naive(at) or not 2000 < at.year < 9000:
            raise unreadable
        return at, int(who)
