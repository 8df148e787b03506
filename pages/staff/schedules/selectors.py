"""Reads for the schedules page, in a fixed number of queries whatever the clinic's size.

Filtering, sorting and counting run in the database on the last-session date; the ranges come
from `retreatment_window`, the counts are one aggregate over the very filters the page offers
(so a count and its filter always agree), and each row's status is `retreatment_status`
itself (a test checks that the ranges and the status agree at every edge)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from botoxcare.messaging import reachable, reachable_q
from botoxcare.models import Clinic, ClinicSettings
from patients.models import Appointment, AppointmentStatus, ContactAttempt, Patient
from treatments.models import Course, Reminder, State
from treatments.models.reminders import FAILED_UNHANDLED
from treatments.retreatment import Due, RetreatmentStatus, retreatment_status, retreatment_window

FOLLOW_UP_STATES = (State.POST_CARE, State.MAINTENANCE)
PAGE_SIZE = 25


class StatusFilter(StrEnum):
    OPEN_NOT_BOOKED = "open_not_booked"
    DUE_THIS_WEEK = "due_this_week"
    OVERDUE = "overdue"
    UNREACHABLE = "unreachable"

    @property
    def label(self) -> str:
        return STATUS_FILTER_LABELS[self]


STATUS_FILTER_LABELS = {
    StatusFilter.OPEN_NOT_BOOKED: "Window open, not booked",
    StatusFilter.DUE_THIS_WEEK: "Due in the next 7 days",
    StatusFilter.OVERDUE: "Overdue",
    StatusFilter.UNREACHABLE: "No contact possible",
}


class Sort(StrEnum):
    DUE = "due"
    DUE_LATEST = "-due"
    NAME = "name"
    LAST_SESSION = "-last_session"


SORT_LABELS = {
    Sort.DUE: "Due date, earliest first",
    Sort.DUE_LATEST: "Due date, latest first",
    Sort.NAME: "Name",
    Sort.LAST_SESSION: "Last session, most recent first",
}

# Due date = last session + the clinic's weeks, so ordering by the last session orders by due.
ORDERINGS: dict[Sort, list[Any]] = {
    Sort.DUE: [F("last_session_date").asc(nulls_last=True), "last_name", "first_name", "id"],
    Sort.DUE_LATEST: [F("last_session_date").desc(nulls_last=True), "last_name", "id"],
    Sort.NAME: ["last_name", "first_name", "id"],
    Sort.LAST_SESSION: [F("last_session_date").desc(nulls_last=True), "last_name", "id"],
}


def session_range(kind: Due, *, settings: ClinicSettings, today: date) -> Q:
    """The last-session dates whose re-treatment status on `today` is `kind`: the status rule
    of `retreatment_status` turned around, for filters and counts in the database."""
    opens, due = retreatment_window(today, settings)
    opens_at, due_at = today - (opens - today), today - (due - today)
    return {
        Due.BEFORE_WINDOW: Q(last_session_date__gt=opens_at),
        Due.WINDOW_OPEN: Q(last_session_date__gt=due_at, last_session_date__lte=opens_at),
        Due.DUE: Q(last_session_date=due_at),
        Due.OVERDUE: Q(last_session_date__lt=due_at),
    }[kind]


def due_within(days: int, *, settings: ClinicSettings, today: date) -> Q:
    """Last sessions whose due day falls from today to `days` - 1 days ahead."""
    _opens, due = retreatment_window(today, settings)
    first = today - (due - today)
    return Q(last_session_date__gte=first, last_session_date__lte=first + timedelta(days - 1))


def status_filter_q(
    status: StatusFilter, *, settings: ClinicSettings, today: date, now: datetime
) -> Q:
    if status == StatusFilter.OPEN_NOT_BOOKED:
        # The date range first: the database looks for a booked visit only inside the window.
        return session_range(Due.WINDOW_OPEN, settings=settings, today=today) & Q(
            ~_booked_ahead(now)
        )
    if status == StatusFilter.DUE_THIS_WEEK:
        return due_within(7, settings=settings, today=today)
    if status == StatusFilter.OVERDUE:
        return session_range(Due.OVERDUE, settings=settings, today=today)
    return ~reachable_q()


def _visits_ahead(now: datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        patient=OuterRef("pk"), status=AppointmentStatus.BOOKED, starts_at__gte=now
    )


def _next_visit(now: datetime) -> Subquery:
    return Subquery(_visits_ahead(now).order_by("starts_at").values("starts_at")[:1])


def _booked_ahead(now: datetime) -> Exists:
    """Whether a visit is booked from `now` on: what "not booked" filters and counts on (an
    EXISTS stops at the first visit; the next visit's time is read only for shown rows)."""
    return Exists(_visits_ahead(now))


def schedule_base(*, clinic: Clinic, clinician_id: int | None = None) -> QuerySet[Patient]:
    """The clinic's patients whose current course is in post-care or maintenance, with their
    last session date."""
    patients = Patient.objects.filter(clinic=clinic)
    if clinician_id is not None:
        patients = patients.filter(responsible_clinician_id=clinician_id)
    # A course in post-care or maintenance is its patient's only active course (a new one
    # starts only after a discontinued one), so this join gives one row a patient; its last
    # session date is kept on the course (indexed with the state).
    return patients.filter(courses__state__in=FOLLOW_UP_STATES).annotate(
        last_session_date=F("courses__last_session_on")
    )


# What the sort already reads of each row's course, kept for the rows it picks.
HEAD = ("pk", "course_id", "state", "last_session_date")


def schedule_list(
    *,
    clinic: Clinic,
    today: date,
    now: datetime,
    clinician_id: int | None = None,
    status: StatusFilter | None = None,
    sort: Sort = Sort.DUE,
) -> QuerySet[Patient, Any]:
    """The filtered rows' heads (`HEAD`: the patient's id and their course's id, step and last
    session, which the join has read already), in order: a narrow sort over thousands of
    patients; `schedule_rows` reads what is shown for one page of them."""
    patients = schedule_base(clinic=clinic, clinician_id=clinician_id)
    if status is not None:
        patients = patients.filter(
            status_filter_q(status, settings=clinic.settings, today=today, now=now)
        )
    return (
        patients.annotate(course_id=F("courses__id"), state=F("courses__state"))
        .order_by(*ORDERINGS[sort])
        .values_list(*HEAD, named=True)
    )


@dataclass(frozen=True)
class ScheduleRow:
    """One patient's line: what the page, the CSV and the actions need."""

    patient: Patient
    course_id: int
    state: State
    last_session: date | None
    status: RetreatmentStatus | None
    next_visit: datetime | None
    last_reminder: Reminder | None
    last_contact: ContactAttempt | None
    reachable: bool

    @property
    def in_post_care(self) -> bool:
        """Waiting for the follow-up after a session rather than for re-treatment."""
        return self.state == State.POST_CARE


def schedule_rows(
    heads: list[Any], *, settings: ClinicSettings, today: date, now: datetime
) -> list[ScheduleRow]:
    """The rows of these patients (heads from `schedule_list`, in its order): three queries
    whatever the number of rows, each computing only what is shown for these rows."""
    latest_reminder = (
        Reminder.objects.filter(course__patient=OuterRef("pk"))
        .filter(Q(due_at__lte=now) | Q(sent_at__isnull=False) | Q(cancelled_at__isnull=False))
        .order_by(Coalesce("sent_at", "cancelled_at", "due_at").desc(), "-id")
    )
    latest_contact = ContactAttempt.objects.filter(patient=OuterRef("pk")).order_by("-at", "-id")
    patients: dict[int, Any] = (
        Patient.objects.select_related("responsible_clinician")
        .annotate(
            next_visit=_next_visit(now),
            reminder_id=Subquery(latest_reminder.values("pk")[:1]),
            contact_id=Subquery(latest_contact.values("pk")[:1]),
        )
        .in_bulk([head.pk for head in heads])
    )
    # filter(), not in_bulk(): the same number of queries with none to find as with many.
    reminders = {
        r.pk: r for r in Reminder.objects.filter(pk__in=[p.reminder_id for p in patients.values()])
    }
    contacts = {
        c.pk: c
        for c in ContactAttempt.objects.select_related("by").filter(
            pk__in=[p.contact_id for p in patients.values()]
        )
    }
    rows = []
    for head in heads:
        p = patients[head.pk]
        rows.append(
            ScheduleRow(
                patient=p,
                course_id=head.course_id,
                state=State(head.state),
                last_session=head.last_session_date,
                status=retreatment_status(head.last_session_date, settings, today),
                next_visit=p.next_visit,
                last_reminder=reminders.get(p.reminder_id),
                last_contact=contacts.get(p.contact_id),
                reachable=reachable(p),
            )
        )
    return rows


def courses_current(patient_ids: list[int]) -> dict[int, Course]:
    """Each patient's current course (every registered patient has one), in one query."""
    current = Course.objects.filter(patient=OuterRef("patient_id")).order_by("-started_on", "-id")
    found = Course.objects.filter(patient_id__in=patient_ids, pk=Subquery(current.values("pk")[:1]))
    return {c.patient_id: c for c in found.select_related("patient")}


def reminders_failed(*, clinic: Clinic) -> QuerySet[Reminder]:
    """The clinic's reminders that failed every retry and nobody has handled."""
    return (
        Reminder.objects.filter(FAILED_UNHANDLED, course__patient__clinic=clinic)
        .select_related("course__patient")
        .order_by("-due_at", "-id")
    )


def reminder_get(*, clinic: Clinic, pk: int) -> Reminder:
    return get_object_or_404(
        Reminder.objects.select_related("course__patient"), pk=pk, course__patient__clinic=clinic
    )
