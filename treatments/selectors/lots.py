"""Stock and who received a lot, for a manufacturer's recall: each read scoped to a clinic."""

from __future__ import annotations

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic

from ..models import InjectionSession, ProductLot, ProductLotQuerySet


def lots_of(*, clinic: Clinic) -> ProductLotQuerySet:
    """Every lot of the clinic, soonest expiry first; `.usable_on(day)` narrows it to the
    lots that may be used that day."""
    return ProductLot.objects.filter(clinic=clinic).order_by("expiry_date", "lot_number")


def lots_in_stock(*, clinic: Clinic, limit: int = 100) -> QuerySet[ProductLot]:
    return lots_with_use(clinic=clinic)[:limit]


def lots_with_use(*, clinic: Clinic, number: str = "") -> QuerySet[ProductLot]:
    """The clinic's lots, latest expiry first, each with how many sessions used it
    (`sessions_used`) and the last day one did (`last_used`); `number` narrows them to lot
    numbers containing it. One query."""
    lots = ProductLot.objects.filter(clinic=clinic)
    if number:
        lots = lots.filter(lot_number__icontains=number)
    return lots.annotate(
        sessions_used=Count("vials__session", distinct=True),
        last_used=Max("vials__session__session_date"),
    ).order_by("-expiry_date", "lot_number")


def lot_get(*, clinic: Clinic, pk: int) -> ProductLot:
    """One of the clinic's lots; another clinic's id is a 404."""
    return get_object_or_404(ProductLot, clinic=clinic, pk=pk)


def lot_recipients(*, lot: ProductLot) -> QuerySet[InjectionSession]:
    """Every session that used the lot, for a manufacturer's recall: newest first, each
    with its patient and clinician, and the units given from the lot's vials in it
    (`units_from_lot`) and discarded from them (`discarded_from_lot`), in one query (a
    session may have used vials of other lots too: only this lot's are counted)."""
    return (
        InjectionSession.objects.filter(vials__lot=lot, course__patient__clinic_id=lot.clinic_id)
        .select_related("course__patient", "clinician")
        # After the filter, the sums read the filter's join: this lot's vials only.
        .annotate(
            units_from_lot=Coalesce(Sum("vials__units_given"), 0),
            discarded_from_lot=Coalesce(Sum("vials__units_discarded"), 0),
        )
        .order_by("-session_date", "-id")
    )


def lot_recipients_count(*, lot: ProductLot) -> dict[str, int]:
    """How many sessions used the lot and how many patients they were (`sessions`,
    `patients`), in one query."""
    return InjectionSession.objects.filter(
        vials__lot=lot, course__patient__clinic_id=lot.clinic_id
    ).aggregate(
        sessions=Count("id", distinct=True), patients=Count("course__patient", distinct=True)
    )
