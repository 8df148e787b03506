"""The clinician's list of patients whose diary raises a flag (medication overuse, too few
days recorded, chronic migraine criteria, the stop rule), read from the stored standings
(`diary.services.standing`), filtered by flag and clinician, a page at a time. The figures
behind each flag are the patient page's; the list says the day they were judged on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from botoxcare.audit import audited, note_shown
from botoxcare.forms import ClinicianChoiceField, clinicians_of
from botoxcare.models import Clinic
from botoxcare.roles import Action, StaffRequest, require, staff_required
from botoxcare.validators import CleanInput
from diary.models import DiaryStanding
from diary.reasons import FLAG_LABELS, Flag
from diary.standing_selectors import (
    FLAG_ORDER,
    FLAGGED_ORDER,
    PAGE_SIZE,
    FlaggedCounts,
    flagged_counts,
    flagged_list,
)
from treatments.pathway import day

from .links import link_maker
from .paging import keyset_page


class FlaggedFilterForm(CleanInput, forms.Form):
    flag = forms.ChoiceField(
        choices=[("", "Any flag"), *((f.value, FLAG_LABELS[f]) for f in FLAG_ORDER)],
        required=False,
        label="Flag",
    )
    clinician = ClinicianChoiceField(
        queryset=None, required=False, empty_label="All clinicians", label="Clinician"
    )

    def __init__(self, *args: Any, clinic: Clinic, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clinician"].queryset = clinicians_of(clinic)  # type: ignore[attr-defined]

    def chosen(self) -> tuple[Flag | None, int | None]:
        """(flag, clinician id); anything invalid counts as not chosen."""
        if not self.is_valid():
            return None, None
        flag, clinician = self.cleaned_data.get("flag"), self.cleaned_data.get("clinician")
        return (Flag(flag) if flag else None), (clinician.pk if clinician else None)


def _day(value: date | None, *, year: bool = True) -> str:
    """`treatments.pathway.day` ("2 Feb 2027"), "2 Feb" without the year, "—" for none."""
    if value is None:
        return "—"
    return day(value) if year else f"{value.day} {value:%b}"


@dataclass(frozen=True)
class FlaggedRow:
    """A standing as the list shows it: its links and dates made in Python, once a row, so
    the template does no lookups or filters per row (25 rows were most of the page's time)."""

    patient_id: int
    name: str
    identifier: str
    clinician: str
    patient_url: str
    flags: list[tuple[str, str, str]]  # (code, label, why) of each flag met
    period: str
    period_figures: str
    cycle: str
    last_day: str
    judged_on: str  # the day judged, when before today


def _rows(standings: list[DiaryStanding], today: date) -> list[FlaggedRow]:
    patient_url = link_maker("staff:patient")
    rows = []
    for s in standings:
        p, doctor = s.patient, s.patient.responsible_clinician
        rows.append(
            FlaggedRow(
                patient_id=p.pk,
                name=f"{p.last_name}, {p.first_name}",
                identifier=p.identifier,
                clinician=doctor.get_full_name() if doctor else "",
                patient_url=patient_url(p.pk),
                flags=[
                    (f.value, FLAG_LABELS[f], s.why.get(f.value, ""))
                    for f in FLAG_ORDER
                    if getattr(s, f.value)
                ],
                period=f"{_day(s.period_start, year=False)} \u2013 {_day(s.period_end)}"
                if s.period_start
                else "",
                period_figures=f"{s.headache_days} headache, {s.migraine_days} migraine days; "
                f"{s.recorded_days} recorded",
                cycle=(
                    f"cycle {s.cycles}: "
                    + ("change undefined" if s.change_percent is None else f"{s.change_percent}%")
                )
                if s.cycles
                else "no session yet",
                last_day=_day(s.last_entry_day),
                judged_on=_day(s.as_of, year=False) if s.as_of < today else "",
            )
        )
    return rows


@staff_required
@require_GET
@audited("patients.listed", patient=None)
def flagged(request: StaffRequest) -> HttpResponse:
    require(request.user, Action.VIEW_CLINICAL_RECORD)
    clinic = request.clinic
    form = FlaggedFilterForm(request.GET or None, clinic=clinic)
    flag, clinician_id = form.chosen()
    counts: FlaggedCounts = flagged_counts(clinic=clinic, clinician_id=clinician_id)
    # The standings' index order; a page starts where the last ended (no OFFSET), and the
    # count is the counts' own.
    page = keyset_page(
        flagged_list(clinic=clinic, flag=flag, clinician_id=clinician_id),
        order=FLAGGED_ORDER,
        per_page=PAGE_SIZE,
        params=request.GET,
        keep=("flag", "clinician"),
        count=counts.matching(flag),
    )
    rows = _rows(page.object_list, timezone.localdate())
    note_shown(request, patient_ids=[r.patient_id for r in rows], filters=request.GET.dict())
    by_clinician = f"&clinician={clinician_id}" if clinician_id else ""
    return render(
        request,
        "staff/flagged.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "counts": counts,
            "flag_counts": [(f.value, FLAG_LABELS[f], counts.by_flag[f.value]) for f in FLAG_ORDER],
            "by_clinician": by_clinician,
            "query": page.params,
        },
    )
