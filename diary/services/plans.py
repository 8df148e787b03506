"""The management plan: each change writes a new version; no version is ever changed."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from botoxcare.audit import changes, log_action
from botoxcare.errors import refuse
from diary.models import ManagementPlan
from patients.models import Patient

# The fields a version holds, in the order the plan reads.
PLAN_FIELDS = (
    "sleep",
    "meals",
    "hydration",
    "triggers",
    "exercise",
    "preventives",
    "acute_plan",
    "acute_limit_days",
    "other_interventions",
    "goals",
)
# Each field as the staff form and the history name it.
PLAN_LABELS = {
    "sleep": "Sleep",
    "meals": "Meals",
    "hydration": "Hydration",
    "triggers": "Triggers to avoid",
    "exercise": "Exercise",
    "preventives": "Preventive medicines",
    "acute_plan": "Acute treatment plan",
    "acute_limit_days": "Most days a month for acute medicines",
    "other_interventions": "Other interventions",
    "goals": "Goals",
}


class PlanReason(StrEnum):
    UNCHANGED = "plan_unchanged"


EMPTY: dict[str, Any] = dict.fromkeys(PLAN_FIELDS, "") | {"acute_limit_days": None}


def plan_values(plan: ManagementPlan | None) -> dict[str, Any]:
    """A version's fields (all empty before the first version)."""
    if plan is None:
        return dict(EMPTY)
    return {name: getattr(plan, name) for name in PLAN_FIELDS}


def plan_revise(*, patient: Patient, by: Any, **fields: Any) -> ManagementPlan:
    """Write the next version of the patient's plan from `fields` (any of PLAN_FIELDS; a
    field left out is empty). The patient's row is locked so that two writers get two
    versions in turn. Raises DomainError (`plan_unchanged`) if nothing differs from the
    current version; audited with each field that changed, old and new."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"not plan fields: {sorted(unknown)}")
    new = dict(EMPTY) | fields
    with transaction.atomic():
        Patient.objects.select_for_update().filter(pk=patient.pk).first()
        current = ManagementPlan.objects.filter(patient=patient).order_by("-version").first()
        previous = plan_values(current)
        changed = changes(previous, new)
        if current is not None and not changed:
            raise refuse(PlanReason.UNCHANGED, "Nothing was changed: the plan stays as it is.")
        top = ManagementPlan.objects.filter(patient=patient).aggregate(v=Max("version"))["v"]
        plan = ManagementPlan.objects.create(
            patient=patient,
            version=(top or 0) + 1,
            created_by=by,
            created_at=timezone.now(),
            **new,
        )
        log_action(
            "plan.revised",
            user=by,
            patient=patient,
            target=plan,
            data=changed,
        )
    return plan
