"""What the portal and the staff pages show alike of the headache diary: a day's form
(the patient's own, or staff entering it on their behalf) and the diary as a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals
from botoxcare.spreadsheet import csv_stream
from diary import exchange
from diary import services as diary_services
from diary.forms import AcuteMedicineForm, DiaryDayForm
from diary.models import AcuteMedicine, DiaryEntry
from diary.services.writing import day_refusal
from patients.models import Patient


def day_of(text: str) -> date:
    """A day as the address writes it (YYYY-MM-DD); anything else is a 404."""
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise Http404


def day_page(
    request: HttpRequest,
    *,
    patient: Patient,
    on: date,
    done: str,
    back: str,
    url_for: Callable[[date], str],
    on_behalf: bool = False,
    medicine_add: str = "",
) -> HttpResponse:
    """A day's form: shown, and saved on a POST; `done` is where a saved day goes."""
    today = timezone.localdate()
    entry = DiaryEntry.objects.filter(patient=patient, day=on).prefetch_related("medicines").first()
    amending = entry is not None and diary_services.needs_amendment(
        patient=patient,
        day=on,
        today=today,
    )
    form = DiaryDayForm(
        request.POST or None,
        # The list, and any medicine the day has that is off the list since.
        medicines=AcuteMedicine.objects.filter(patient=patient).filter(
            Q(active=True)
            | Q(pk__in=[m.medicine_id for m in entry.medicines.all()] if entry else [])
        ),
        entry=entry,
        amending=amending,
    )
    refusal = day_refusal(patient=patient, day=on, today=today)
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            diary_services.diary_entry_record(
                patient=patient,
                by=request.user,
                day=on,
                record=form.record(),
                reason=form.cleaned_data.get("reason", ""),
                today=today,
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"Saved: {on:%A} {on.day} {on:%B}.")
            return redirect(done)
    return render(
        request,
        "diary/day.html",
        {
            "patient": patient,
            "day": on,
            "entry": entry,
            "form": form,
            "amending": amending,
            "refusal": refusal,
            "on_behalf": on_behalf,
            "back": back,
            "medicine_add": medicine_add,
            "medicine_form": AcuteMedicineForm() if medicine_add else None,
            "earlier": url_for(on - timedelta(days=1)),
            "later": url_for(on + timedelta(days=1)) if on < today else None,
        },
        status=400 if form.errors else 200,
    )


def diary_csv(patient_id: int) -> StreamingHttpResponse:
    """The whole diary as the import reads it, every cell neutralised."""
    response = StreamingHttpResponse(
        csv_stream(exchange.COLUMNS, exchange.diary_lines(patient_id)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="headache-diary.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
