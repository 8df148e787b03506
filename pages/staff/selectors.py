"""Reads for the staff list: each patient with their current course's step and the re-treatment
status after their last session, in a fixed number of queries; one session for its page."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404

from botoxcare.models import Clinic, ClinicSettings
from patients.models import Appointment, AppointmentStatus, CallbackRequest, Patient
from patients.search import search_words
from patients.services import normalised_identifier
from treatments.models import Aftercare, InjectionSession, Reminder, State
from treatments.retreatment import RetreatmentStatus, retreatment_status

# The list's order: the folded names, then the pk (patient_list_order_idx holds all three).
LIST_ORDER = ("search_last", "search_first", "pk")
# The same order for a search, read from the rows found rather than walked along that index:
# PostgreSQL, seeing a LIMIT and the index in the order asked for, walked the whole clinic in
# name order filtering each row (41,572 rows, 90 ms for "smith" at 50,000 patients) instead of
# finding the 1,166 Smiths through the name indexes and sorting them (3 ms). The keys are the
# same columns (`|| ''` keeps the column's code-point collation), so the order is the same.
SEARCH_ORDER = ("found_last", "found_first", "pk")


def list_order(query: str) -> tuple[str, ...]:
    """The order `patient_list`'s rows are paged in for this search (or none)."""
    return SEARCH_ORDER if search_words(query) else LIST_ORDER


def _prefix(field: str, word: str) -> Q:
    """`field` starts with `word`, said as a range of its index (the keys compare in
    code-point order on every database: patients migration 0011)."""
    upper = word[:-1] + chr(min(ord(word[-1]) + 1, sys.maxunicode))
    return Q(**{f"{field}__gte": word, f"{field}__lt": upper})


def patient_list(*, clinic: Clinic, query: str = "", state: str = "") -> QuerySet[Patient]:
    """The clinic's patients that the search and the step keep, unordered: the page is
    ordered by `list_order(query)` (`paging.keyset_page`) and its rows read by `patient_rows`.

    Every word of the search starts the patient's first or last name, accents and case
    aside ("ann smi" finds Ann Smith, not every Ann; "zoe" finds Zoë); a one-word search is
    also the identifier, matched exactly as it is stored (upper case). Each is one range of
    an index, so the search costs what it finds, not the clinic's size. The step is the
    patient's current course's, kept on the patient (`Patient.current_state`)."""
    patients = Patient.objects.filter(clinic=clinic)
    words = search_words(query)
    if words:
        match = Q()
        for word in words:
            match &= _prefix("search_last", word) | _prefix("search_first", word)
        if len(words) == 1:
            match |= Q(identifier=normalised_identifier(query))
        patients = patients.filter(match).annotate(
            found_last=Concat("search_last", Value("")),
            found_first=Concat("search_first", Value("")),
        )
    if state:
        patients = patients.filter(current_state=state)
    return patients


@dataclass(frozen=True)
class PatientRow:
    """One line of the list."""

    patient: Patient
    state: State | None
    last_session: date | None
    retreatment: RetreatmentStatus | None  # only while the course is in maintenance


def patient_rows(ids: list[int], *, settings: ClinicSettings, today: date) -> list[PatientRow]:
    """The rows of one page, in the order of `ids`: the patients with their clinician and
    their last session's date, read for these patients alone (one query)."""
    last_session = InjectionSession.objects.filter(course__patient=OuterRef("pk")).order_by(
        "-session_date"
    )
    found = {
        p.pk: p
        for p in Patient.objects.filter(pk__in=ids)
        .select_related("responsible_clinician")
        .annotate(last_session_date=Subquery(last_session.values("session_date")[:1]))
        .order_by()
    }
    rows = []
    for pk in ids:
        if pk not in found:  # removed since its page was read
            continue
        p: Any = found[pk]  # last_session_date comes from the query
        state = State(p.current_state) if p.current_state else None
        last: date | None = p.last_session_date
        status = retreatment_status(last, settings, today) if state == State.MAINTENANCE else None
        rows.append(PatientRow(patient=p, state=state, last_session=last, retreatment=status))
    return rows


def registration_initial(callback: CallbackRequest) -> dict[str, Any]:
    """What the registration form starts from when opened from a call-back request: the
    caller's name (last word as the family name) and number."""
    words = callback.name.split()
    first, last = (" ".join(words[:-1]), words[-1]) if len(words) > 1 else (callback.name, "")
    return {"first_name": first, "last_name": last, "phone": callback.phone}


@dataclass(frozen=True)
class FollowUpEntry:
    """One line of a patient's follow-up history: a reminder, a contact attempt or a visit."""

    at: datetime
    kind: str  # "reminder", "contact" or "visit"
    what: str
    result: str  # a stable value for tests and styling
    result_label: str
    note: str = ""


HISTORY_SHOWN = 30


def follow_up_history(
    patient: Patient, *, appointments: Iterable[Appointment], now: datetime
) -> list[FollowUpEntry]:
    """Reminders that have come due (sent, failed, retrying, cancelled), contact attempts and
    past or closed visits, newest first: two queries (the visits are the page's own list)."""
    reminders = (
        Reminder.objects.filter(course__patient=patient)
        .filter(Q(due_at__lte=now) | Q(sent_at__isnull=False) | Q(cancelled_at__isnull=False))
        .order_by("-due_at", "-id")[:HISTORY_SHOWN]
    )
    entries = [
        FollowUpEntry(
            at=r.result_at,
            kind="reminder",
            what=f"Reminder: {r.get_kind_display().lower()}",
            result=r.result.value,
            result_label=r.result.label,
        )
        for r in reminders
    ]
    entries += [
        FollowUpEntry(
            at=c.at,
            kind="contact",
            what=f"{c.get_channel_display()} by {c.by.get_full_name() or c.by.username}",
            result=c.outcome,
            result_label=c.get_outcome_display(),
            note=c.note,
        )
        for c in patient.contact_attempts.select_related("by")[:HISTORY_SHOWN]
    ]
    entries += [
        FollowUpEntry(
            at=a.starts_at,
            kind="visit",
            what=a.get_kind_display(),
            result=a.status,
            result_label=a.get_status_display(),
        )
        for a in appointments
        if a.starts_at <= now or a.status != AppointmentStatus.BOOKED
    ]
    return sorted(entries, key=lambda e: e.at, reverse=True)[:HISTORY_SHOWN]


def _has_field(model: type[Any], name: str) -> bool:
    return any(f.name == name for f in model._meta.get_fields())


def session_get(*, patient: Patient, pk: int) -> InjectionSession:
    """One of the patient's injection sessions, whole (its sites, its lot or vials with their
    lots, its aftercare), for the session page; any other session, another patient's or
    another clinic's, is a 404. Sessions recorded their one lot on the session before they
    recorded vials (InjectionVial): this reads whichever the model has."""
    sessions = (
        InjectionSession.objects.filter(course__patient=patient)
        .select_related("clinician", "course__patient__clinic__settings")
        .prefetch_related("sites")
    )
    # Named as plain strings: the model has one or the other, whichever stubs mypy reads.
    vials: list[str] = ["vials__lot"] if _has_field(InjectionSession, "vials") else []
    lot: list[str] = ["lot"] if _has_field(InjectionSession, "lot") else []
    return get_object_or_404(sessions.prefetch_related(*vials).select_related(*lot), pk=pk)


def session_aftercare(session: InjectionSession) -> Aftercare | None:
    return (
        Aftercare.objects.filter(session=session)
        .select_related("issued_by", "follow_up__clinician")
        .first()
    )
