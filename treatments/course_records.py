"""The records a course's pages read with it (one prefetch each, whatever the history's
length); a patient with their current course in one query, for the pages that record a step;
and the patient page's one read of a patient with all their courses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from botoxcare.models import Clinic
from patients.models import Patient
from patients.selectors import patient_get

from .models import (
    Aftercare,
    Consent,
    ConsentRequest,
    Consultation,
    Course,
    CourseTransition,
    InjectionSession,
    PreparationReview,
    ResponseReview,
    State,
)
from .models.sessions import InjectionVial


def course_records(*, consent_requests: bool = True) -> list[Prefetch]:
    """Every record of a course with who made it: the guards, the step's actions and the
    timeline read them from these (fresh Prefetch objects a call: they hold querysets).
    `consent_requests=False` leaves out the consent requests, which only the consent step's
    actions read (a course read without them reads them when asked: one query)."""
    requests = ConsentRequest.objects.order_by("-sent_at", "-id")
    return [
        Prefetch("consultations", Consultation.objects.select_related("clinician")),
        Prefetch("consents", Consent.objects.select_related("recorded_by", "withdrawn_by")),
        *([Prefetch("consent_requests", requests)] if consent_requests else []),
        Prefetch(
            "preparations",
            PreparationReview.objects.select_related("reviewed_by", "flags_cleared_by"),
        ),
        Prefetch(
            "sessions",
            InjectionSession.objects.select_related("clinician").prefetch_related(
                "sites", Prefetch("vials", InjectionVial.objects.select_related("lot"))
            ),
        ),
        Prefetch("aftercares", Aftercare.objects.select_related("follow_up", "issued_by")),
        Prefetch("reviews", ResponseReview.objects.select_related("reviewed_by")),
        Prefetch("transitions", CourseTransition.objects.select_related("by")),
    ]


def patient_and_course(*, clinic: Clinic, pk: int) -> tuple[Patient, Course | None]:
    """One of the clinic's patients (anyone else's id is a 404) and their current course with
    its records: the patient and the course in one query (a patient with no course, two)."""
    course = (
        Course.objects.filter(patient__clinic=clinic, patient_id=pk)
        .select_related("patient__clinic__settings", "patient__responsible_clinician")
        .prefetch_related(*course_records())
        .order_by("-started_on", "-id")
        .first()
    )
    if course is None:
        return patient_get(clinic=clinic, pk=pk), None
    return course.patient, course


@dataclass(frozen=True)
class PatientCourses:
    patient: Patient
    current: Course | None  # the latest course, with its records
    earlier: list[Course]  # newest first


def patient_courses(*, clinic: Clinic, pk: int) -> PatientCourses:
    """One of the clinic's patients (anyone else's id is a 404) with their courses, newest
    first: the patient and every course in one query (a patient with no course, two), then the
    current course's records (course_records) and the patient's preventive history, which the
    start rule counts (read once for the timeline and the medical lists)."""
    courses = list(
        Course.objects.filter(patient__clinic=clinic, patient_id=pk)
        .select_related("patient__clinic__settings", "patient__responsible_clinician")
        .order_by("-started_on", "-id")
    )
    if not courses:
        return PatientCourses(patient_get(clinic=clinic, pk=pk), None, [])
    current, *earlier = courses
    patient = current.patient
    for course in earlier:
        course.patient = patient  # one patient object, whichever course it is read through
    at_consent = current.state == State.CONSENT  # the only step whose actions read them
    prefetch_related_objects([current], *course_records(consent_requests=at_consent))
    prefetch_related_objects([patient], "preventive_treatments")
    return PatientCourses(patient, current, earlier)
