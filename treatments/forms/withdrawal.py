"""Staff recording a patient's withdrawal of consent: the day they said so, their reason, and
whether their booked injection visits are cancelled with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils import timezone

from botoxcare.forms import DateInput
from patients.models import Appointment

from ..pathway import day
from .records import WithdrawForm


def visit_when(visit: Appointment) -> str:
    local = timezone.localtime(visit.starts_at)
    return f"{day(local.date())}, {local:%H:%M}"


class StaffWithdrawForm(WithdrawForm):
    withdrawn_on = forms.DateField(
        widget=DateInput(),
        initial=timezone.localdate,
        label="Date the patient withdrew",
        help_text="The day they told the clinic; no session can be recorded on the consent "
        "from that day.",
    )
    cancel_visits = forms.BooleanField(required=False)

    field_order = ["withdrawn_on", "reason", "cancel_visits"]

    def __init__(self, *args: Any, visits: Sequence[Appointment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not visits:
            del self.fields["cancel_visits"]
            return
        when = "; ".join(visit_when(v) for v in visits)
        several = len(visits) > 1
        field = self.fields["cancel_visits"]
        field.label = f"Cancel the booked injection visit{'s' if several else ''}: {when}"
        field.help_text = (
            f"Left unticked, {'they stay' if several else 'it stays'} booked (to discuss a new "
            "consent, say) and can be cancelled from the patient page."
        )
