"""The schedules page, its actions and its export. Views parse, call, render."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from botoxcare.audit import audited, note_shown
from botoxcare.errors import DomainError
from botoxcare.forms import empty_form_fields
from botoxcare.roles import Action, StaffRequest, require, staff_required, user_can
from botoxcare.validators import id_read
from patients.forms import ContactAttemptForm
from patients.models import Patient
from patients.services import contact_attempt_record
from treatments.services import reminder_mark_handled, reminder_retry, reminder_send_now

from ..links import link_maker
from ..paging import CountedPaginator
from . import selectors
from .export import csv_lines
from .forms import ScheduleFilterForm
from .kept import schedule_counts_kept, schedule_page_kept
from .rows_html import rows_html
from .selectors import StatusFilter

EXPORT_CHUNK = 500
FAILED_SHOWN = 50


@dataclass(frozen=True)
class _Shown:
    """A row as the page shows it, with its links."""

    row: selectors.ScheduleRow
    patient_url: str
    book_url: str
    contact_url: str


def _shown(rows: list[selectors.ScheduleRow]) -> list[_Shown]:
    patient, book, contact = (
        link_maker(name)
        for name in ("staff:patient", "staff:appointment-new", "patients:contact-attempt-new")
    )
    return [
        _Shown(
            row=row,
            patient_url=patient(row.patient.pk),
            book_url=book(row.patient.pk),
            contact_url=contact(row.patient.pk),
        )
        for row in rows
    ]


def _filtered(
    request: StaffRequest, *, today: date, now: datetime
) -> tuple[
    ScheduleFilterForm, QuerySet[Patient, Any], int | None, StatusFilter | None, selectors.Sort
]:
    form = ScheduleFilterForm(request.GET or None, clinic=request.clinic)
    clinician_id, status, sort = form.chosen()
    patients = selectors.schedule_list(
        clinic=request.clinic,
        today=today,
        now=now,
        clinician_id=clinician_id,
        status=status,
        sort=sort,
    )
    return form, patients, clinician_id, status, sort


def _query(request: StaffRequest) -> str:
    """The filters as a query string (no page), for links and the actions' way back."""
    return urlencode({k: v for k, v in request.GET.items() if k in ("clinician", "status", "sort")})


@staff_required
@require_GET
@audited("patients.listed", patient=None)
def schedules(request: StaffRequest) -> HttpResponse:
    return _page(request, ContactAttemptForm())


def _page(
    request: StaffRequest, contact_form: ContactAttemptForm, status: int = 200
) -> HttpResponse:
    require(request.user, Action.VIEW_SCHEDULES)
    clinic, today, now = request.clinic, timezone.localdate(), timezone.now()
    form, patients, clinician_id, chosen, sort = _filtered(request, today=today, now=now)
    counts = schedule_counts_kept(clinic=clinic, today=today, now=now, clinician_id=clinician_id)
    paginator = CountedPaginator(patients, selectors.PAGE_SIZE, count=counts.matching(chosen))
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    heads = schedule_page_kept(page, clinic=clinic, key=f"{clinician_id}:{chosen}:{sort}:{today}")
    note_shown(request, patient_ids=[head.pk for head in heads], filters=request.GET.dict())
    rows = selectors.schedule_rows(heads, settings=clinic.settings, today=today, now=now)
    failed = (
        list(selectors.reminders_failed(clinic=clinic)[:FAILED_SHOWN])
        if user_can(request.user, Action.HANDLE_FAILED_REMINDERS)
        else []
    )
    shown_rows = _shown(rows)
    user = request.user
    return render(
        request,
        "staff/schedules.html",
        {
            "form": form,
            "page": page,
            "rows": shown_rows,
            # The rows written once a page (rows_html: they were most of the page's own time).
            "rows_html": rows_html(
                shown_rows,
                can_remind=user_can(user, Action.SEND_REMINDER),
                can_contact=user_can(user, Action.RECORD_CONTACT_ATTEMPT),
                can_book=user_can(user, Action.BOOK_APPOINTMENT),
            ),
            "counts": counts,
            "query": _query(request),
            # The counts' links keep the clinician chosen (the counts are theirs).
            "by_clinician": f"&clinician={clinician_id}" if clinician_id else "",
            "contact_form": contact_form,
            # The bulk form's fields as an empty form writes them, once a process; a form sent
            # back with errors is written with them.
            "contact_fields": (
                None if contact_form.is_bound else empty_form_fields(ContactAttemptForm)
            ),
            "failed": failed,
        },
        status=status,
    )


def _back(request: StaffRequest) -> HttpResponse:
    query = _query(request)
    return redirect(reverse("staff:schedules") + (f"?{query}" if query else ""))


def _selected(request: StaffRequest) -> list[Patient]:
    """The clinic's patients named by the checkboxes, or by a row's own button; a patient of
    another clinic (or a malformed id) is a 404 and nothing is done."""
    raw = (
        [request.POST["remind"]] if request.POST.get("remind") else request.POST.getlist("patients")
    )
    read = [id_read(value) for value in raw]
    if None in read:
        raise Http404
    ids = set(read)
    found = list(Patient.objects.filter(clinic=request.clinic, pk__in=ids))
    if len(found) != len(ids):
        raise Http404
    return sorted(found, key=lambda p: (p.last_name, p.first_name, p.pk))


@staff_required
@require_POST
def schedules_act(request: StaffRequest) -> HttpResponse:
    """Send a reminder now, or record a contact attempt, for one row or the ticked rows."""
    require(request.user, Action.VIEW_SCHEDULES)
    patients = _selected(request)
    action = "remind" if request.POST.get("remind") else request.POST.get("action")
    if not patients:
        messages.warning(request, "Tick at least one patient first.", extra_tags="none_selected")
        return _back(request)
    if action == "remind":
        _remind(request, patients)
    elif action == "contact":
        form = ContactAttemptForm(request.POST)
        if not form.is_valid():
            return _page(request, form, status=400)
        for patient in patients:
            contact_attempt_record(patient=patient, by=request.user, **form.cleaned_data)
        n = len(patients)
        messages.success(
            request, f"Contact attempt recorded for {n} patient{'s' if n != 1 else ''}."
        )
    else:
        raise Http404
    return _back(request)


def _remind(request: StaffRequest, patients: list[Patient]) -> None:
    require(request.user, Action.SEND_REMINDER)
    now = timezone.now()
    courses = selectors.courses_current([p.pk for p in patients])
    queued = 0
    for patient in patients:
        try:
            reminder_send_now(course=courses[patient.pk], by=request.user, now=now)
        except DomainError as error:
            for refusal in error.refusals:
                messages.warning(
                    request, f"{patient.full_name}: {refusal.message}", extra_tags=refusal.code
                )
        else:
            queued += 1
    if queued:
        messages.success(
            request,
            f"Reminder to book queued for {queued} patient{'s' if queued != 1 else ''}; "
            "it goes out within a minute.",
        )


@staff_required
@require_GET
@audited("schedules.exported", patient=None)
def schedules_export(request: StaffRequest) -> StreamingHttpResponse:
    """Every row of the filtered view as CSV, read a chunk at a time."""
    require(request.user, Action.VIEW_SCHEDULES)
    today, now = timezone.localdate(), timezone.now()
    _form, patients, _clinician, _status, _sort = _filtered(request, today=today, now=now)
    settings = request.clinic.settings

    note_shown(request, filters=request.GET.dict(), patients=len(patients))

    def rows() -> Iterator[selectors.ScheduleRow]:
        paginator: Paginator[Any] = Paginator(patients, EXPORT_CHUNK)
        for number in paginator.page_range:
            chunk = list(paginator.page(number))
            yield from selectors.schedule_rows(chunk, settings=settings, today=today, now=now)

    response = StreamingHttpResponse(csv_lines(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="schedules-{today.isoformat()}.csv"'
    return response


@staff_required
@require_POST
def reminder_failed_act(request: StaffRequest, pk: int, action: str) -> HttpResponse:
    """Retry a reminder that failed every retry, or mark it handled (admins)."""
    require(request.user, Action.HANDLE_FAILED_REMINDERS)
    reminder = selectors.reminder_get(clinic=request.clinic, pk=pk)
    service = {"retry": reminder_retry, "handled": reminder_mark_handled}.get(action)
    if service is None:
        raise Http404
    try:
        service(reminder=reminder, by=request.user)
    except DomainError as error:
        for refusal in error.refusals:
            messages.warning(request, refusal.message, extra_tags=refusal.code)
    else:
        done = "will be tried again within a minute" if action == "retry" else "marked handled"
        messages.success(request, f"The reminder to {reminder.course.patient.full_name} {done}.")
    return _back(request)
