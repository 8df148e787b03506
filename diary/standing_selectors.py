"""Reads of the stored diary standings (`DiaryStanding`): the clinician's list of flagged
patients and its counts, each one query on the standings' index, whatever the number of
entries behind them. Patients whose course is discontinued (or who have none) are left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from .models import DiaryStanding
from .reasons import FLAG_BITS, FLAG_ORDER, Flag

if TYPE_CHECKING:
    from botoxcare.models import Clinic

PAGE_SIZE = 25

__all__ = ["FLAG_ORDER", "PAGE_SIZE", "FlaggedCounts", "flagged_counts", "flagged_list"]


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


def _ranks_with(flag: Flag) -> list[int]:
    return [rank for rank in range(1 << len(FLAG_ORDER)) if rank & FLAG_BITS[flag]]


def flagged_counts(*, clinic: Clinic, clinician_id: int | None = None) -> FlaggedCounts:
    """The list's counts, one query: the standings counted by rank (at most 16 groups, read
    from the list's index), each flag's count the sum of the ranks that hold its bit."""
    by_rank = {
        row["rank"]: row["n"]
        for row in _standings(clinic=clinic, clinician_id=clinician_id)
        .order_by()
        .values("rank")
        .annotate(n=Count("pk"))
    }
    return FlaggedCounts(
        keeping=sum(by_rank.values()),
        flagged=sum(n for rank, n in by_rank.items() if rank),
        by_flag={f.value: sum(n for r, n in by_rank.items() if r & FLAG_BITS[f]) for f in Flag},
    )


# The list's order, the index's (diary_standing_list); the pages start where the last ended.
FLAGGED_ORDER = ("-rank", "name_key", "patient_id")


def flagged_list(
    *, clinic: Clinic, flag: Flag | None = None, clinician_id: int | None = None
) -> QuerySet[DiaryStanding]:
    """The standings with `flag` met (any flag when None), the weightiest flags first, then by
    name; each with its patient and their clinician (one query a page)."""
    qs = _standings(clinic=clinic, clinician_id=clinician_id)
    qs = qs.filter(rank__in=_ranks_with(flag)) if flag else qs.filter(rank__gt=0)
    # The order is the index's: no sort of every flagged patient, whatever the page.
    return qs.select_related("patient__responsible_clinician").order_by(*FLAGGED_ORDER)
