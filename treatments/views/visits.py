"""Visits left open: booked visits whose time has passed, listed by day for reception to mark
attended, missed or cancelled (a day's visits attended in one action)."""

from __future__ import annotations

from datetime import datetime, time
from itertools import groupby

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from botoxcare.audit import audited, note_shown
from botoxcare.errors import DomainError
from botoxcare.redirects import redirect_back
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.validators import id_read
from patients.calendar import day_read
from patients.models import CLOSING_STATUSES, AppointmentStatus
from patients.selectors import visits_left_open

from .. import services


def _start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


@staff_required
@require_http_methods(["GET", "POST"])
@audited("patients.listed", patient=None)
def open_visits(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.BOOK_APPOINTMENT)
    clinic = request.clinic
    if request.method == "POST":
        # The visits of a day that the page showed (by id: never one it did not show, such as
        # another clinician's when the calendar shows one), if they are still open and begun.
        day = day_read(request.POST.get("day", ""))
        shown = {id_read(pk) for pk in request.POST.getlist("visit")} - {None}
        begun = visits_left_open(clinic=clinic, before=timezone.now()).filter(pk__in=shown)
        chosen = [v for v in begun if day and timezone.localdate(v.starts_at) == day]
        try:
            n = services.visits_close(
                appointments=chosen, by=request.user, status=AppointmentStatus.ATTENDED
            )
        except DomainError as error:
            messages.error(request, str(error), extra_tags=" ".join(error.codes))
        else:
            if n:
                messages.success(request, f"{n} visit{'s' if n != 1 else ''} marked attended.")
            else:
                messages.info(request, "No visit of that day was left to mark attended.")
        return redirect_back(request, "treatments:open-visits")
    visits = visits_left_open(clinic=clinic, before=_start_of_today())
    days = [
        (day, list(group))
        for day, group in groupby(visits[:500], key=lambda v: timezone.localdate(v.starts_at))
    ]
    note_shown(request, patient_ids=sorted({v.patient_id for _d, g in days for v in g}))
    return render(
        request,
        "treatments/open_visits.html",
        {"days": days, "closing_statuses": CLOSING_STATUSES},
    )
