"""Reads of the MIDAS answers and the management plan (the diary's figures are in
`selectors`): each scoped to the one patient it is given."""

from __future__ import annotations

from dataclasses import dataclass

from patients.models import Patient

from .midas import GRADE_MEANING
from .models import ManagementPlan, QuestionnaireKind, QuestionnaireResponse
from .services.plans import PLAN_FIELDS, PLAN_LABELS, plan_values

TREND_ROWS = 24  # two a year for a dozen years


@dataclass(frozen=True)
class MidasRow:
    response: QuestionnaireResponse
    meaning: str
    change: int | None  # against the answer before it; None for the first


def midas_trend(*, patient: Patient) -> list[MidasRow]:
    """The patient's MIDAS answers, oldest first (the latest TREND_ROWS), each with its
    change from the one before."""
    latest = list(
        QuestionnaireResponse.objects.filter(patient=patient, kind=QuestionnaireKind.MIDAS)
        .select_related("entered_by")
        .order_by("-answered_on", "-id")[:TREND_ROWS]
    )
    rows: list[MidasRow] = []
    before: int | None = None
    for response in reversed(latest):
        change = response.score - before if before is not None else None
        rows.append(MidasRow(response, GRADE_MEANING.get(response.grade, ""), change))
        before = response.score
    return rows


def plan_current(*, patient: Patient) -> ManagementPlan | None:
    return (
        ManagementPlan.objects.filter(patient=patient)
        .select_related("created_by")
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class PlanVersion:
    plan: ManagementPlan
    changed: tuple[tuple[str, object, object], ...]  # (field's label, old, new)


def plan_history(*, patient: Patient) -> list[PlanVersion]:
    """Every version, newest first, with what it changed from the version before."""
    versions = list(
        ManagementPlan.objects.filter(patient=patient)
        .select_related("created_by")
        .order_by("version")
    )
    out, before = [], plan_values(None)
    for plan in versions:
        now = plan_values(plan)
        changed = tuple(
            (PLAN_LABELS[name], before[name], now[name])
            for name in PLAN_FIELDS
            if before[name] != now[name]
        )
        out.append(PlanVersion(plan, changed))
        before = now
    return list(reversed(out))
