"""The consultation with the diary's figures: when the patient kept a diary before their
first session, the form starts from its last period (headache days, migraine days and
medication overuse, judged over the clinic's `pattern_months`) instead of typed figures, and
the record says so (`figures_from_diary`: the figures sent are the diary's).

This is the consultation page (`staff:consultation`), as pages.staff.review is the
re-treatment's: it lives here because treatments reads no diary (ARCHITECTURE "the caller
passes it in")."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone

from botoxcare.audit import audited
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.submissions import submitted_once
from diary.figures import Finding, medication_overuse, too_few_recorded
from diary.selectors import PeriodFigures, diary_periods
from treatments import selectors as course_selectors
from treatments import services
from treatments.forms import ConsultationForm
from treatments.models import MedicationOveruse, State
from treatments.views import records

FROM_DIARY = ("headache_days_per_month", "migraine_days_per_month", "medication_overuse")


def diary_initial(periods: list[PeriodFigures], rules: Any) -> tuple[dict[str, Any], Finding]:
    """What the form starts from: the last period's days (when enough were recorded to judge)
    and overuse as the diary shows it; empty when the diary cannot say."""
    latest = periods[-1]
    few = too_few_recorded(latest, rules)
    if few.met:
        return {}, few
    overuse = medication_overuse(periods, rules)
    return {
        "headache_days_per_month": latest.headache_days,
        "migraine_days_per_month": latest.migraine_days,
        "medication_overuse": MedicationOveruse.PRESENT if overuse.met else MedicationOveruse.NONE,
    }, overuse


@staff_required
@audited("patient.page_viewed")
@submitted_once
def consultation(request: StaffRequest, pk: int) -> HttpResponse:
    require(request.user, Action.RECORD_CONSULTATION)
    patient, _course = records.patient_and_course(request, pk)
    rules = patient.clinic.settings
    periods = diary_periods(
        patient=patient, rules=rules, end=timezone.localdate(), count=rules.pattern_months
    )
    initial, finding = diary_initial(periods, rules)
    # A later course, or the patient seen again: the history and diagnosis as last recorded.
    previous = course_selectors.last_consultation(patient=patient)
    start = {**ConsultationForm.initial_from(previous), **initial}

    def save(p: Any, c: Any, form: Any) -> Any:
        data = dict(form.cleaned_data)
        same = bool(initial) and all(data.get(k) == initial[k] for k in FROM_DIARY)
        return services.consultation_record(
            course=c, by=request.user, figures_from_diary=same, **data
        )

    return records.record_page(
        request,
        pk,
        action=Action.RECORD_CONSULTATION,
        states=(State.CONSULTATION,),
        title="Record consultation",
        intro="Step 1: history, previous preventive treatments, diagnosis and the discussion.",
        make_form=lambda p, c, data: ConsultationForm(
            data, clinic_settings=c.clinic_settings, initial=start
        ),
        save=save,
        success="Consultation recorded.",
        template="staff/consultation_form.html",
        extra={
            "diary_period": periods[-1],
            "diary_used": bool(initial),
            "diary_why": finding,
            "previous": previous,
        },
    )
