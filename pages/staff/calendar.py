"""The appointment calendar: a day or a week of each clinician's (or each room's) visits and
free time; book from a free slot; a day's visits marked attended in one action (through the
open-visits form, which closes them with their reminders)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited, log_action, note_shown
from botoxcare.redirects import same_site_back
from botoxcare.roles import Action, StaffRequest, require, staff_required, user_can
from patients import selectors as patient_selectors
from patients.calendar import day_read
from patients.models import CLOSING_STATUSES
from patients.selectors import CalendarBy

from .calendar_html import EntryWriter, begun_inputs
from .selectors import patient_list

VIEWS = ("day", "week")


def _day_from(raw: str) -> date:
    """The day asked for; today for none, or anything unreadable or out of range."""
    return (day_read(raw) if raw else None) or timezone.localdate()


@staff_required
@audited("patients.listed", patient=None)
def calendar(request: StaffRequest) -> HttpResponse:
    """`?view=day|week&date=YYYY-MM-DD&by=clinician|room&key=<clinician id or room>`; a week
    is Monday to Sunday and shows one clinician or room (the first, unless chosen)."""
    require(request.user, Action.VIEW_PATIENTS)
    clinic = request.clinic
    view = request.GET.get("view") if request.GET.get("view") in VIEWS else "day"
    raw_by = request.GET.get("by", "")
    by = CalendarBy(raw_by) if raw_by in {b.value for b in CalendarBy} else CalendarBy.CLINICIAN
    key = request.GET.get("key", "")[:50]
    day = _day_from(request.GET.get("date", ""))
    clinicians = patient_selectors.calendar_clinicians(clinic) if by == CalendarBy.CLINICIAN else []
    columns = patient_selectors.calendar_columns(clinic=clinic, by=by, clinicians=clinicians)
    if key and key not in {k for k, _ in columns}:
        # A clinician's id kept when "Show" turned to rooms (or a room's name the other way)
        # starts the new view afresh; any other key (another clinic's clinician) is a 404.
        if key.isdigit() != (by == CalendarBy.CLINICIAN):
            key = ""
        else:
            raise Http404
    if view == "week":
        key = key or (columns[0][0] if columns else "")
        first = day - timedelta(days=day.weekday())
        days = [first + timedelta(days=n) for n in range(7)]
        step = timedelta(days=7)
    else:
        days, step = [day], timedelta(days=1)
    now = timezone.now()
    lines = (
        patient_selectors.calendar_lines(
            clinic=clinic, days=days, by=by, key=key, now=now, clinicians=clinicians
        )
        if columns
        else []
    )
    note_shown(
        request,
        patient_ids=sorted({v.patient_id for line in lines for v in line.visits}),
        view=view,
        date=day,
        by=by.value,
        key=key,
    )
    here = {"view": view, "by": by.value, "key": key}
    this_page = urlencode({**here, "date": day.isoformat()})
    back_here = reverse("staff:calendar") + "?" + this_page
    can_book = user_can(request.user, Action.BOOK_APPOINTMENT)
    writer = EntryWriter(
        can_book=can_book,
        by=by,
        back_here=back_here,
        csrf_token=get_token(request),
        now=now,
        closing_statuses=CLOSING_STATUSES,
    )
    begun = patient_selectors.visits_begun(lines, now=now) if view == "day" else []
    return render(
        request,
        "staff/calendar.html",
        {
            "view": view,
            "by": by,
            "key": key,
            "day": day,
            "first": days[0],
            # Each line with its entries written out (calendar_html: the page's cost was here).
            "days": [
                (d, [(line, writer.entries(line, d)) for line in ls])
                for d, ls in groupby(lines, key=lambda line: line.day)
            ],
            "columns": columns,
            "chosen": dict(columns).get(key, ""),
            "begun": begun,
            "begun_inputs": begun_inputs(begun),
            "today": timezone.localdate(),
            "now": now,
            "back_here": back_here,
            "links": {
                "previous": urlencode({**here, "date": (day - step).isoformat()}),
                "next": urlencode({**here, "date": (day + step).isoformat()}),
                "today": urlencode(here),
                "day": urlencode({**here, "view": "day", "date": day.isoformat()}),
                "week": urlencode({**here, "view": "week", "date": day.isoformat()}),
            },
            "can_book": can_book,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def calendar_book(request: StaffRequest) -> HttpResponse:
    """Book a free slot: find the patient (the search is POSTed, so no name reaches a URL),
    then go to their booking form with the slot's time, clinician and room filled in."""
    require(request.user, Action.BOOK_APPOINTMENT)
    clinic = request.clinic
    slot = patient_selectors.slot_from(request.GET, clinic=clinic)
    if not slot.room:  # picked on a clinician's line: a room free then, if the clinic has one
        room = patient_selectors.room_free_at(
            clinic=clinic, starts_at=slot.starts_at, minutes=clinic.settings.shortest_visit_minutes
        )
        slot = replace(slot, room=room)
    query = request.POST.get("q", "").strip()[:100] if request.method == "POST" else ""
    found = list(patient_list(clinic=clinic, query=query)[:20]) if query else []
    if query:
        log_action(
            "patients.searched",
            user=request.user,
            data={"q": query, "patient_ids": [p.pk for p in found]},
        )
    # Back to the calendar the slot was picked on (else the slot's day) once booked.
    day_of_slot = urlencode({"date": timezone.localdate(slot.starts_at).isoformat()})
    back = same_site_back(request) or reverse("staff:calendar") + "?" + day_of_slot
    book = {
        p.pk: reverse("staff:appointment-new", args=[p.pk])
        + "?"
        + urlencode({**slot.query, "next": back})
        for p in found
    }
    return render(
        request,
        "staff/calendar_book.html",
        {"slot": slot, "query": query, "found": [(p, book[p.pk]) for p in found]},
    )


def slot_initial(params: Any, *, clinic: Any) -> dict[str, Any]:
    """What a link from a free slot fills in on the booking form (nothing for a bad link)."""
    try:
        slot = patient_selectors.slot_from(params, clinic=clinic)
    except Http404:
        return {}
    initial: dict[str, Any] = {"starts_at": timezone.localtime(slot.starts_at)}
    if slot.clinician is not None:
        initial["clinician"] = slot.clinician
    if slot.room:
        initial["room"] = slot.room
    return initial
