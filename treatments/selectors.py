"""Reads of the pathway: the current course with every record the page and the guards need,
stock, and a patient's own aftercare. Each is scoped to a patient or a clinic."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic
from patients.models import Patient

from .models import (
    Aftercare,
    Consent,
    ConsentForm,
    ConsentRequest,
    Consultation,
    Course,
    CourseTransition,
    Document,
    InjectionSession,
    PreparationReview,
    ProductLot,
    ResponseReview,
)


def course_current(*, patient: Patient) -> Course | None:
    """The patient's latest course, with its records prefetched (a fixed number of queries)."""
    return (
        Course.objects.filter(patient=patient)
        .select_related("patient__clinic__settings")
        .prefetch_related(
            Prefetch("consultations", Consultation.objects.select_related("clinician")),
            Prefetch("consents", Consent.objects.select_related("recorded_by")),
            Prefetch("consent_requests", ConsentRequest.objects.order_by("-sent_at", "-id")),
            Prefetch(
                "preparations",
                PreparationReview.objects.select_related("reviewed_by", "flags_cleared_by"),
            ),
            Prefetch(
                "sessions",
                InjectionSession.objects.select_related("lot", "clinician").prefetch_related(
                    "sites"
                ),
            ),
            Prefetch("aftercares", Aftercare.objects.select_related("follow_up", "issued_by")),
            Prefetch("reviews", ResponseReview.objects.select_related("reviewed_by")),
            Prefetch("transitions", CourseTransition.objects.select_related("by")),
        )
        .order_by("-started_on", "-id")
        .first()
    )


def courses_earlier(*, patient: Patient, current: Course | None) -> QuerySet[Course]:
    qs = Course.objects.filter(patient=patient)
    if current is not None:
        qs = qs.exclude(pk=current.pk)
    return qs.order_by("-started_on")


def lots_usable(*, clinic: Clinic, on: date) -> QuerySet[ProductLot]:
    return ProductLot.objects.filter(clinic=clinic, expiry_date__gt=on).order_by("expiry_date")


def lots_in_stock(*, clinic: Clinic, limit: int = 100) -> QuerySet[ProductLot]:
    return ProductLot.objects.filter(clinic=clinic).order_by("-expiry_date")[:limit]


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
