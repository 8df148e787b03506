"""Reads of the pathway: the current course with every record the page and the guards need,
stock and who received a lot (a recall), a patient's own aftercare, and the times they may
book their re-treatment visit in the portal. Each is scoped to a patient or a clinic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from botoxcare.models import Clinic
from patients.calendar import Slot
from patients.models import Appointment, AppointmentKind, AppointmentStatus, Patient
from patients.selectors import free_slots

from .amendable import AMENDABLE
from .course_records import course_records
from .models import (
    Aftercare,
    Amendment,
    Consent,
    ConsentForm,
    ConsentRequest,
    Consultation,
    Course,
    Document,
    InjectionSession,
    ProductLot,
    ProductLotQuerySet,
)
from .retreatment import BookingDays


def course_current(*, patient: Patient) -> Course | None:
    """The patient's latest course, with its records prefetched (a fixed number of queries)."""
    return (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related(*course_records())
        .order_by("-started_on", "-id")
        .first()
    )


def courses_earlier(*, patient: Patient, current: Course | None) -> QuerySet[Course]:
    qs = Course.objects.filter(patient=patient)
    if current is not None:
        qs = qs.exclude(pk=current.pk)
    return qs.order_by("-started_on")


@dataclass(frozen=True)
class LastDoses:
    """What a re-treatment session starts from: the course's latest session, its sites and
    units by muscle, and how it was tolerated."""

    session_date: date
    doses: dict[str, tuple[int, int]]  # muscle -> (sites, units)
    tolerability: str
    # muscle -> (left, right) sites, for the muscles whose sides were recorded
    sides: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)


def last_doses(*, course: Course) -> LastDoses | None:
    """The course's latest session's doses, or None before the first: from the course's
    sessions and their sites, so no query for a course read with its records
    (course_current), two for one read without."""
    session = course.latest_session
    if session is None:
        return None
    rows = list(session.sites.all())
    doses = {row.muscle: (row.sites, row.units) for row in rows}
    sides = {
        row.muscle: (row.sites_left, row.sites_right)
        for row in rows
        if row.sites_left is not None or row.sites_right is not None
    }
    return LastDoses(session.session_date, doses, session.tolerability, sides)


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


def aftercares_of(*, patient: Patient) -> QuerySet[Aftercare]:
    return Aftercare.objects.filter(course__patient=patient).order_by("-issued_on")


def aftercare_get(*, patient: Patient, pk: int) -> Aftercare:
    """One of the patient's own aftercare records; anyone else's id is a 404."""
    return get_object_or_404(
        Aftercare.objects.select_related("follow_up", "session"), pk=pk, course__patient=patient
    )


def consent_request_open(*, patient: Patient) -> ConsentRequest | None:
    """The consent waiting for the patient to sign, if any (their current course's)."""
    return (
        ConsentRequest.objects.filter(
            course__patient=patient, consent__isnull=True, cancelled_at__isnull=True
        )
        .order_by("-sent_at", "-id")
        .first()
    )


def consent_request_get(*, patient: Patient, pk: int) -> ConsentRequest:
    """One of the patient's own consent requests; anyone else's id is a 404."""
    return get_object_or_404(
        ConsentRequest.objects.select_related("form", "course__patient__clinic__settings"),
        pk=pk,
        course__patient=patient,
    )


def consent_of(*, patient: Patient, pk: int) -> Consent:
    """One of the patient's own signed consents; anyone else's id is a 404."""
    return get_object_or_404(
        Consent.objects.select_related("course__patient"), pk=pk, course__patient=patient
    )


def documents_of(*, course: Course) -> QuerySet[Document]:
    """The course's documents for a list (without their bytes)."""
    return (
        Document.objects.listed()
        .filter(course=course)
        .select_related("aftercare", "consent")
        .order_by("-created_at", "-id")
    )


def documents_for_patient(*, patient: Patient) -> QuerySet[Document]:
    """Every document of the patient's courses, newest first, for a list (without bytes)."""
    return (
        Document.objects.listed()
        .filter(course__patient=patient)
        .select_related("aftercare", "consent")
        .order_by("-created_at", "-id")
    )


def document_get(*, patient: Patient, pk: int) -> Document:
    """One of the patient's own documents, with its bytes; anyone else's id is a 404."""
    return get_object_or_404(Document, pk=pk, course__patient=patient)


def consent_forms_of(*, clinic: Clinic) -> QuerySet[ConsentForm]:
    """The clinic's consent form versions, newest first, each with how many consents were
    signed on it and whether it was sent to sign (a used version is never edited)."""
    return (
        ConsentForm.objects.filter(clinic=clinic)
        .annotate(
            signed=Count("consents"),
            sent=Exists(ConsentRequest.objects.filter(form=OuterRef("pk"))),
        )
        .order_by("-version")
    )


def consent_form_get(*, clinic: Clinic, pk: int) -> ConsentForm:
    """One of the clinic's versions; another clinic's id is a 404."""
    form: ConsentForm = get_object_or_404(ConsentForm, clinic=clinic, pk=pk)
    return form


def consent_form_current(*, clinic: Clinic) -> ConsentForm | None:
    return ConsentForm.objects.filter(clinic=clinic, is_active=True).first()


# The portal's booking page shows free times on this many days from the first one allowed:
# two weeks and the due day, the whole window with the clinic's default weeks (10 to 12).
SELF_BOOKING_DAYS_SHOWN = 15


def injection_visit_next(*, patient: Patient, now: datetime) -> Appointment | None:
    """The patient's next booked injection visit still to come, if any: the one a booking in
    the portal moves (treatments.services.visit_self_book reads the same, locked)."""
    return (
        Appointment.objects.filter(
            patient=patient,
            kind=AppointmentKind.INJECTION,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=now,
        )
        .select_related("clinician")
        .order_by("starts_at", "id")
        .first()
    )


@dataclass(frozen=True)
class SelfBooking:
    """What the portal's booking page offers: the days allowed, the free times on the first
    SELF_BOOKING_DAYS_SHOWN of them, and the visit a booking would move (if any)."""

    days: BookingDays
    slots: list[Slot]
    visit: Appointment | None

    @property
    def by_day(self) -> list[tuple[date, list[Slot]]]:
        """The free times grouped by their day (the clinic's), first day first."""
        return [
            (on, list(slots))
            for on, slots in groupby(self.slots, key=lambda s: timezone.localdate(s.starts_at))
        ]


def self_booking_offer(*, patient: Patient, now: datetime) -> SelfBooking | None:
    """The patient's own booking in the portal, or None when `Course.self_booking_days` of
    their latest course offers none today. Times are `free_slots` of the clinic's injection
    visit length, less any that overlap the patient's other booked visits. At most seven
    queries, however many clinicians, rooms and visits."""
    course = (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related("sessions")
        .order_by("-started_on", "-id")
        .first()
    )
    if course is None:
        return None
    allowed = course.self_booking_days(timezone.localdate(now))
    if allowed is None:
        return None
    patient = course.patient
    clinic = patient.clinic
    shown = allowed.days[:SELF_BOOKING_DAYS_SHOWN]
    minutes = clinic.settings.minutes_for(AppointmentKind.INJECTION)
    visit = injection_visit_next(patient=patient, now=now)
    others = Appointment.objects.filter(
        patient=patient, status=AppointmentStatus.BOOKED, ends_at__gt=now
    )
    if visit is not None:
        others = others.exclude(pk=visit.pk)  # a booking moves it: no clash with itself
    own = [(v.starts_at, v.ends_at) for v in others]
    length = timedelta(minutes=minutes)
    slots = [
        s
        for s in free_slots(
            clinic=clinic,
            days=shown,
            minutes=minutes,
            now=clinic.settings.self_booking_earliest(now),
        )
        if not any(start < s.starts_at + length and s.starts_at < end for start, end in own)
    ]
    return SelfBooking(days=allowed, slots=slots, visit=visit)


def amendable_record(*, patient: Patient, kind: str, pk: int) -> Any:
    """One of the patient's records of a kind that is amended (treatments/amendable.py), with
    its course and its amendments so far (oldest first, with who made them); any other
    record, another patient's or another clinic's, or a kind not amended, is a 404."""
    amendable = AMENDABLE.get(kind)
    if amendable is None:
        raise Http404("No such record.")
    model: Any = amendable.model
    records = model.objects.filter(course__patient=patient).select_related("course")
    return get_object_or_404(
        records.prefetch_related(Prefetch("amendments", Amendment.objects.select_related("by"))),
        pk=pk,
    )


def last_consultation(*, patient: Patient) -> Consultation | None:
    """The patient's latest consultation, of any course: what a new one starts from."""
    return (
        Consultation.objects.filter(course__patient=patient)
        .select_related("clinician")
        .order_by("-seen_on", "-recorded_at", "-id")
        .first()
    )
