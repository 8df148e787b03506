"""The patient's headache diary in the portal: today at a glance with a one-tap "No headache
today", a day's form, the missing days of the last fortnight on one screen, their list of
acute medicines, and the diary as a CSV file out and in. Scoped to the signed-in patient."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from botoxcare.audit import audited
from botoxcare.errors import DomainError
from botoxcare.forms import add_refusals, refusal_messages
from botoxcare.submissions import submitted_once
from diary import exchange
from diary import services as diary_services
from diary.forms import AcuteMedicineForm, DiaryImportForm, MissingDaysForm
from diary.models import AcuteMedicine, DiaryEntry
from pages.diary_keeping import day_of, day_page, diary_csv
from patients.selectors import patient_for_user

RECENT_DAYS = 28


@login_required
@audited("diary.viewed", patient="self")
def diary(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    today = timezone.localdate()
    recent = list(
        DiaryEntry.objects.filter(patient=patient, day__gt=today - timedelta(days=RECENT_DAYS))
        .prefetch_related("medicines__medicine")
        .order_by("-day")
    )
    return render(
        request,
        "portal/diary.html",
        {
            "patient": patient,
            "today": today,
            "today_entry": next((e for e in recent if e.day == today), None),
            "recent": recent,
            "missing": diary_services.days_missing(patient=patient, today=today),
            "medicines": AcuteMedicine.objects.filter(patient=patient, active=True),
            "medicine_form": AcuteMedicineForm(),
        },
    )


@login_required
@require_POST
@submitted_once
def diary_no_headache(request: HttpRequest) -> HttpResponse:
    """The one tap: today had no headache."""
    patient = patient_for_user(request.user)
    try:
        diary_services.diary_day_no_headache(patient=patient, by=request.user)
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, "Saved: no headache today.")
    return redirect("portal:diary")


@login_required
@require_http_methods(["GET", "POST"])
@audited("diary.viewed", patient="self")
@submitted_once
def diary_day(request: HttpRequest, day: str) -> HttpResponse:
    patient = patient_for_user(request.user)
    on = day_of(day)
    return day_page(
        request,
        patient=patient,
        on=on,
        done=reverse("portal:diary"),
        back=reverse("portal:diary"),
        url_for=lambda d: reverse("portal:diary-day", args=[d.isoformat()]),
    )


@login_required
@require_http_methods(["GET", "POST"])
@audited("diary.viewed", patient="self")
@submitted_once
def diary_missing(request: HttpRequest) -> HttpResponse:
    """The last fortnight's missing days, a yes or no each, saved in one post."""
    patient = patient_for_user(request.user)
    today = timezone.localdate()
    form = MissingDaysForm(
        request.POST or None, days=diary_services.days_missing(patient=patient, today=today)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = diary_services.diary_days_backfill(
                patient=patient, by=request.user, days=form.answers(), today=today
            )
        except DomainError as error:
            add_refusals(form, error)
        else:
            messages.success(request, f"Saved {len(saved)} day{'s' if len(saved) != 1 else ''}.")
            return redirect("portal:diary")
    return render(
        request,
        "portal/diary_missing.html",
        {
            "patient": patient,
            "form": form,
            "rows": [(d, form[f"d_{d.isoformat()}"]) for d in form.days],
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
@submitted_once
def diary_medicine_add(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    form = AcuteMedicineForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.as_data().items():
            for e in errors:
                messages.error(
                    request,
                    f"{form.fields[field].label}: {e.messages[0]}",
                    extra_tags=e.code or "invalid",
                )
        return redirect("portal:diary")
    try:
        medicine = diary_services.acute_medicine_add(
            patient=patient, by=request.user, **form.cleaned_data
        )
    except DomainError as error:
        refusal_messages(request, error)
    else:
        messages.success(request, f"{medicine.name} is on your list.")
    return redirect("portal:diary")


@login_required
@require_POST
def diary_medicine_stop(request: HttpRequest, pk: int) -> HttpResponse:
    patient = patient_for_user(request.user)
    medicine = get_object_or_404(AcuteMedicine, patient=patient, pk=pk)
    diary_services.acute_medicine_deactivate(medicine=medicine, by=request.user)
    messages.success(request, f"{medicine.name} is off your list; the days you took it keep it.")
    return redirect("portal:diary")


@login_required
@audited("diary.downloaded", patient="self")
def diary_export(request: HttpRequest) -> StreamingHttpResponse:
    return diary_csv(patient_for_user(request.user).pk)


@login_required
@require_http_methods(["GET", "POST"])
@audited("diary.viewed", patient="self")
@submitted_once
def diary_import(request: HttpRequest) -> HttpResponse:
    patient = patient_for_user(request.user)
    form = DiaryImportForm(request.POST or None, request.FILES or None)
    refusals = []
    if request.method == "POST" and form.is_valid():
        try:
            saved = diary_services.diary_import(
                patient=patient, by=request.user, text=form.cleaned_data["file"]
            )
        except DomainError as error:
            refusals = error.refusals
        else:
            messages.success(request, f"Imported {len(saved)} days.")
            return redirect("portal:diary")
    return render(
        request,
        "portal/diary_import.html",
        {"patient": patient, "form": form, "refusals": refusals, "columns": exchange.COLUMNS},
        status=400 if form.errors or refusals else 200,
    )
