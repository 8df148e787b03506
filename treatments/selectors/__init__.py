"""Reads of the pathway, each scoped to a patient or a clinic: the current course with every
record the page and the guards need, a patient's own aftercare, consents, documents and
records to amend (here); stock and who received a lot, for a recall (`lots`); the times a
patient may book their re-treatment visit in the portal (`self_booking`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic
from patients.models import Patient

from ..amendable import AMENDABLE
from ..course_records import course_records
from ..models import (
    Aftercare,
    Amendment,
    Consent,
    ConsentForm,
    ConsentRequest,
    Consultation,
    Course,
    Document,
)
from .lots import (
    lot_get,
    lot_recipients,
    lot_recipients_count,
    lots_in_stock,
    lots_of,
    lots_with_use,
)
from .self_booking import (
    SELF_BOOKING_DAYS_SHOWN,
    SelfBooking,
    injection_visit_next,
    self_booking_offer,
)

# The reads by concern in their own modules, under the package's one name.
__all__ = [
    "SELF_BOOKING_DAYS_SHOWN",
    "SelfBooking",
    "injection_visit_next",
    "lot_get",
    "lot_recipients",
    "lot_recipients_count",
    "lots_in_stock",
    "lots_of",
    "lots_with_use",
    "self_booking_offer",
]


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
