"""The amendment page: a signed record's amendable fields as they are now, corrected with a
reason (services.record_amend), its earlier amendments above the form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from botoxcare.audit import audited, note_shown
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.roles import StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from patients.selectors import patient_get

from .. import selectors, services
from ..amendable import AMENDABLE, amendment_shown
from ..forms.amendments import AmendmentForm
from ..pathway import day


@staff_required
@audited("record.amend_viewed")
@submitted_once
def record_amend(request: StaffRequest, pk: int, kind: str, record_pk: int) -> HttpResponse:
    patient = patient_get(clinic=request.clinic, pk=pk)
    record: Any = selectors.amendable_record(patient=patient, kind=kind, pk=record_pk)
    amendable = AMENDABLE[kind]
    require(request.user, amendable.action)
    note_shown(request, target=record)
    form = AmendmentForm(request.POST if request.method == "POST" else None, record=record)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_amend(
                user=request.user,
                record=record,
                changes=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"{amendable.title} amended; the original is kept beside.")
            return redirect(_back(patient.pk, kind, record))
    return render(
        request,
        "treatments/amend_form.html",
        {
            "patient": patient,
            "course": record.course,
            "form": form,
            "title": f"Amend the {amendable.title.lower()} of {day(_dated(record))}",
            "back": _back(patient.pk, kind, record),
            "earlier": [amendment_shown(a) for a in record.amendments.all()],
        },
        status=400 if form.errors else 200,
    )


def _dated(record: Any) -> Any:
    for name in ("seen_on", "reviewed_on", "session_date", "issued_on"):
        if hasattr(record, name):
            return getattr(record, name)
    return None


def _back(patient_pk: int, kind: str, record: Any) -> str:
    """Where the record is read: a session's page (its aftercare's too), else the timeline."""
    if kind in ("session", "aftercare"):
        session_pk = record.pk if kind == "session" else record.session_id
        return reverse("staff:session", args=[patient_pk, session_pk])
    return reverse("staff:patient", args=[patient_pk]) + "#timeline"
