"""A product lot's recall: the clinic's lots with how many sessions used each, and for one
lot every patient and session that received it, on a page and as CSV, so that the clinic can
call each patient when the manufacturer recalls the lot. Reading either is audited."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from botoxcare.audit import audited, note_shown
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.spreadsheet import csv_stream
from botoxcare.validators import control_characters

from .. import selectors
from ..models import InjectionSession

PAGE_SIZE = 50
EXPORT_CHUNK = 500


@staff_required
@require_GET
def lot_recall_index(request: StaffRequest) -> HttpResponse:
    """The entry point: the clinic's lots with their session counts; a lot number typed in
    goes straight to that lot's list, part of one narrows the lots shown. Lot numbers are no
    one's personal data, so the number may sit in the URL."""
    require(request.user, Action.VIEW_LOT_RECALL)
    number = request.GET.get("lot", "").strip()[:40]
    if control_characters(number, multiline=False):
        number = ""
    lots = selectors.lots_with_use(clinic=request.clinic, number=number)
    exact = lots.filter(lot_number__iexact=number).first() if number else None
    if exact is not None:
        return redirect("treatments:lot-recall", pk=exact.pk)
    page = Paginator(lots, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "treatments/lot_recall_index.html",
        {"page": page, "lots": list(page), "number": number},
    )


@staff_required
@require_GET
@audited("lot.recall_viewed", patient=None)
def lot_recall(request: StaffRequest, pk: int) -> HttpResponse:
    """Every session that used the lot, newest first, a page at a time."""
    require(request.user, Action.VIEW_LOT_RECALL)
    lot = selectors.lot_get(clinic=request.clinic, pk=pk)
    page = Paginator(selectors.lot_recipients(lot=lot), PAGE_SIZE).get_page(request.GET.get("page"))
    sessions: list[InjectionSession] = list(page)
    note_shown(
        request,
        target=lot,
        patient_ids=sorted({s.course.patient_id for s in sessions}),
        page=page.number,
    )
    return render(
        request,
        "treatments/lot_recall.html",
        {
            "lot": lot,
            "page": page,
            "sessions": sessions,
            "counts": selectors.lot_recipients_count(lot=lot),
            "expired": not lot.usable_on(timezone.localdate()),
        },
    )


HEADER = [
    "Lot",
    "Session date",
    "Identifier",
    "Name",
    "Phone",
    "Email",
    "Units from lot",
    "Units discarded",
    "Clinician",
]


def csv_line(session: InjectionSession, lot_number: str) -> list[str]:
    p = session.course.patient
    clinician = session.clinician
    return [
        lot_number,
        session.session_date.isoformat(),
        p.identifier,
        f"{p.last_name}, {p.first_name}",
        p.phone,
        p.email,
        str(session.units_from_lot),  # type: ignore[attr-defined]
        str(session.discarded_from_lot),  # type: ignore[attr-defined]
        clinician.get_full_name() or clinician.username,
    ]


def csv_lines(sessions: Iterable[InjectionSession], lot_number: str) -> Iterator[str]:
    """The file, line by line, each cell neutralised (botoxcare.spreadsheet)."""
    return csv_stream(HEADER, (csv_line(s, lot_number) for s in sessions))


@staff_required
@require_GET
@audited("lot.recall_exported", patient=None)
def lot_recall_export(request: StaffRequest, pk: int) -> StreamingHttpResponse:
    """The same rows as the page, every one of them, as CSV: one query, read in chunks."""
    require(request.user, Action.VIEW_LOT_RECALL)
    lot = selectors.lot_get(clinic=request.clinic, pk=pk)
    sessions = selectors.lot_recipients(lot=lot)
    note_shown(
        request,
        target=lot,
        lot_number=lot.lot_number,
        patient_ids=sorted(set(sessions.values_list("course__patient_id", flat=True))),
    )
    lines = csv_lines(sessions.iterator(chunk_size=EXPORT_CHUNK), lot.lot_number)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    name = slugify(lot.lot_number) or str(lot.pk)
    response["Content-Disposition"] = f'attachment; filename="recall-{name}-{day}.csv"'
    return response
