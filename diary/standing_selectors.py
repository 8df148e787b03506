"""Reads of the stored diary standings (`DiaryStanding`): the clinician's list of flagged
patients and its counts, each one query on the standings' index, whatever the number of
entries behind them. Patients whose course is discontinued (or who have none) are left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from .models import DiaryStanding
from .reasons import Flag

if TYPE_CHECKING:
    from botoxcare.models import Clinic

PAGE_SIZE = 25

# The order of the list: the flag that asks most of the clinician first.
FLAG_ORDER = (Flag.STOP_RULE, Flag.MEDICATION_OVERUSE, Flag.CHRONIC_MIGRAINE, Flag.TOO_FEW_RECORDED)


@dataclass(frozen=True)
class FlaggedCounts:
    """How many patients keep a diary (with a course under way), how many of them have any
    flag met, and how many each flag."""

    keeping: int
    flagged: int
    by_flag: dict[str, int]

    def matching(self, flag: Flag | None) -> int:
        return self.by_flag[flag.value] if flag else self.flagged


def _standings(*, clinic: Clinic, clinician_id: int | None) -> QuerySet[DiaryStanding]:
    qs = DiaryStanding.objects.filter(clinic=clinic, active=True)
    if clinician_id is not None:
        qs = qs.filter(patient__responsible_clinician_id=clinician_id)
    return qs


def flagged_counts(*, clinic: Clinic, clinician_id: int | None = None) -> FlaggedCounts:
    """The list's counts, one query."""
    row = _standings(clinic=clinic, clinician_id=clinician_id).aggregate(
        keeping=Count("pk"),
        flagged=Count("pk", filter=Q(flagged=True)),
        **{f.value: Count("pk", filter=Q(**{f.value: True})) for f in Flag},
    )
    return FlaggedCounts(
        keeping=row["keeping"],
        flagged=row["flagged"],
        by_flag={f.value: row[f.value] for f in Flag},
    )


def flagged_list(
    *, clinic: Clinic, flag: Flag | None = None, clinician_id: int | None = None
) -> QuerySet[DiaryStanding]:
    """The standings with `flag` met (any flag when None), the weightiest flags first, then by
    name; each with its patient and their clinician (one query a page)."""
    qs = _standings(clinic=clinic, clinician_id=clinician_id)
    qs = qs.filter(**{flag.value: True}) if flag else qs.filter(flagged=True)
    return qs.select_related("patient__responsible_clinician").order_by(
        *(f"-{f.value}" for f in FLAG_ORDER),
        "patient__last_name",
        "patient__first_name",
        "patient_id",
    )
