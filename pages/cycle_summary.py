"""The one-page cycle summary PDF, for the clinician and, in plain words, for the patient:
baseline against the latest cycle, the chart, the flags (the clinician's copy), the MIDAS
scores, the plan's headline and the next re-treatment window. Rendered on request through the
project's one PDF renderer (`botoxcare.pdf.render_pdf`), from the same figures as the patient
page; not stored, since it is a view of records that stay, not a record itself.

Shared by `pages.staff` and `pages.portal` (they may not import each other)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from botoxcare.pdf import render_pdf
from diary.care_selectors import midas_trend, plan_current
from diary.chart import diary_chart
from diary.figures import diary_flags, flag_periods, per_period_text, percent
from diary.selectors import diary_summary
from patients.models import Patient
from treatments.models import Course, State

PERIODS = 6


@dataclass(frozen=True)
class Sheet:
    """What pdf_base.html names in the header of every printed document."""

    clinic: Any
    patient: Patient


def cycle_summary_context(
    *, patient: Patient, course: Course | None, today: date, for_patient: bool
) -> dict[str, Any]:
    rules = patient.clinic.settings
    summary = diary_summary(
        patient=patient,
        course=course,
        rules=rules,
        end=today,
        count=max(PERIODS, flag_periods(rules)),
    )
    latest = summary.latest_cycle
    status = (
        course.retreatment_status(today) if course and course.state == State.MAINTENANCE else None
    )
    plan = plan_current(patient=patient)
    return {
        "sheet": Sheet(patient.clinic, patient),
        "for_patient": for_patient,
        "today": today,
        "summary": summary,
        "latest": latest,
        "change": percent(latest.response.change_percent) if latest else "",
        # For the patient: "48.1% fewer", or nothing when there are not fewer.
        "fewer": percent(reduction)
        if latest and (reduction := latest.response.reduction_percent) is not None and reduction > 0
        else "",
        "per_period": (per_period_text(latest, summary.kind) or "") if latest else "",
        "chart": diary_chart(
            summary.periods[-PERIODS:],
            [c.session_date for c in summary.cycles],
            pid="summary-chart",
        ),
        "flags": [] if for_patient else diary_flags(summary, rules),
        "midas": midas_trend(patient=patient)[:4],
        "plan": plan,
        "retreatment": status,
    }


def cycle_summary_pdf(
    *, patient: Patient, course: Course | None, today: date, for_patient: bool
) -> bytes:
    context = cycle_summary_context(
        patient=patient, course=course, today=today, for_patient=for_patient
    )
    html = render_to_string("documents/cycle_summary_pdf.html", context)
    return render_pdf(html, page_size=patient.clinic.settings.paper_size)


def cycle_summary_filename(patient: Patient, today: date) -> str:
    """No name in the file name: it may sit in a downloads folder."""
    return f"cycle-summary-{today.isoformat()}.pdf"
