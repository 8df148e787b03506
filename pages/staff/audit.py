"""The clinic admin's audit trail: who saw or changed what, filtered by patient, staff member,
action and dates, a page at a time or as CSV. Reading it is itself an audit event.

It lives in `pages` because a row names the patient (the `patients` app) beside the core's
`AuditEvent`, which keeps only the patient's id.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from botoxcare.audit import audited, note_shown
from botoxcare.forms import DateInput
from botoxcare.models import AuditEvent, Clinic
from botoxcare.roles import Action, StaffRequest, require, staff_required, user_can
from botoxcare.spreadsheet import csv_stream
from botoxcare.validators import CleanInput
from patients.models import Patient

from .paging import chunks, keyset_page

PAGE_SIZE = 50
EXPORT_CHUNK = 500


class AuditFilterForm(CleanInput, forms.Form):
    patient = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    member: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Everyone", label="Staff member"
    )
    action = forms.CharField(
        required=False, max_length=80, label="Action starts with", help_text="e.g. patient."
    )
    since = forms.DateField(required=False, label="From", widget=DateInput())
    until = forms.DateField(required=False, label="To", widget=DateInput())

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        members = get_user_model().objects.filter(staff_profile__clinic=clinic)
        field = self.fields["member"]
        field.queryset = members.order_by("last_name", "first_name", "username")  # type: ignore[attr-defined]
        field.label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", forms.ValidationError("This day is before From.", "order"))
        return data


# Newest first; a page starts where the last ended (paging.keyset_page), so the thousandth
# page of a long trail reads what the first does.
ORDER = ("-at", "-pk")
FILTERS = ("patient", "member", "action", "since", "until")


def audit_events(*, clinic: Clinic, form: AuditFilterForm) -> QuerySet[AuditEvent]:
    """The clinic's events as the (valid) filters ask, unordered (ORDER is the list's); an
    invalid filter shows nothing rather than everything."""
    events = AuditEvent.objects.filter(clinic=clinic).select_related("user")
    if not form.is_valid():
        return events.none()
    data = form.cleaned_data
    if data.get("patient"):
        events = events.filter(patient_id=data["patient"])
    if data.get("member"):
        events = events.filter(user=data["member"])
    if data.get("action"):
        events = events.filter(action__startswith=data["action"])
    tz = timezone.get_current_timezone()
    if data.get("since"):
        events = events.filter(at__gte=datetime.combine(data["since"], time.min, tzinfo=tz))
    if data.get("until"):
        end = datetime.combine(data["until"] + timedelta(days=1), time.min, tzinfo=tz)
        events = events.filter(at__lt=end)
    return events


# Records of care whose values (an event's old and new) are the clinical record itself: a
# reader who may not read that record (the clinic admin, as docs/PERMISSIONS.md says) sees
# which fields an event names, not their values.
CLINICAL_TARGETS = frozenset(
    {
        "treatments.consultation",
        "treatments.preparationreview",
        "treatments.consent",
        "treatments.injectionsession",
        "treatments.aftercare",
        "treatments.responsereview",
    }
)


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    patient: Patient | None
    clinical_shown: bool = False

    @property
    def who(self) -> str:
        user = self.event.user
        return (user.get_full_name() or user.username) if user else "the system"

    @property
    def details(self) -> str:
        data = {k: v for k, v in self.event.data.items() if k != "page"}
        if not data:
            return ""
        if self.event.target_type in CLINICAL_TARGETS and not self.clinical_shown:
            return "fields: " + ", ".join(sorted(data)) + " (values are in the clinical record)"
        return json.dumps(data, ensure_ascii=False, sort_keys=True)


def audit_rows(
    events: Iterable[AuditEvent], *, clinic: Clinic, clinical_shown: bool
) -> list[AuditRow]:
    """Each event with its patient (one query for the page's patients, this clinic's only)."""
    events = list(events)
    ids = {e.patient_id for e in events if e.patient_id}
    patients = Patient.objects.filter(clinic=clinic, pk__in=ids).in_bulk() if ids else {}
    return [
        AuditRow(e, patients.get(e.patient_id) if e.patient_id else None, clinical_shown)
        for e in events
    ]


def _clinical(request: StaffRequest) -> bool:
    return user_can(request.user, Action.VIEW_CLINICAL_RECORD)


def _form(request: StaffRequest) -> AuditFilterForm:
    require(request.user, Action.VIEW_AUDIT)
    return AuditFilterForm(request.GET or {}, clinic=request.clinic)


@staff_required
@require_GET
@audited("audit.viewed", patient=None)
def audit_list(request: StaffRequest) -> HttpResponse:
    form = _form(request)
    clinic = request.clinic
    page = keyset_page(
        audit_events(clinic=clinic, form=form),
        order=ORDER,
        per_page=PAGE_SIZE,
        params=request.GET,
        keep=FILTERS,
    )
    note_shown(request, filters=request.GET.dict())
    chosen = form.cleaned_data.get("patient") if form.is_valid() else None
    return render(
        request,
        "staff/audit.html",
        {
            "form": form,
            "page": page,
            "rows": audit_rows(page, clinic=clinic, clinical_shown=_clinical(request)),
            "patient": Patient.objects.filter(clinic=clinic, pk=chosen).first() if chosen else None,
            "query": page.params,  # the filters, for the export and "Clear filters"
        },
    )


HEADER = ["When", "Who", "Action", "Patient", "Identifier", "Record", "Address", "Details"]


def csv_line(row: AuditRow) -> list[str]:
    e, p = row.event, row.patient
    cells = [
        timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
        row.who,
        e.action,
        f"{p.last_name}, {p.first_name}" if p else "",
        p.identifier if p else "",
        f"{e.target_type} {e.target_id}" if e.target_type else "",
        e.address or "",
        row.details,
    ]
    return cells


@staff_required
@require_GET
@audited("audit.exported", patient=None)
def audit_export(request: StaffRequest) -> StreamingHttpResponse:
    form = _form(request)
    clinic = request.clinic
    events = audit_events(clinic=clinic, form=form)
    note_shown(request, filters=request.GET.dict())
    shown = _clinical(request)

    def rows() -> Iterator[AuditRow]:
        for chunk in chunks(events, order=ORDER, size=EXPORT_CHUNK):
            yield from audit_rows(chunk, clinic=clinic, clinical_shown=shown)

    lines = csv_stream(HEADER, (csv_line(r) for r in rows()))
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{day}.csv"'
    return response
