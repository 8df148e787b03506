"""Amendments beside the records they correct, on the patient page's timeline and on a
session's printable page: each record's amendments (who, when, why, before → after) and the
link to amend it. One query for a course's, one for a session's and its aftercare's."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import Q
from django.urls import reverse

from treatments.amendable import AMENDABLE, AmendmentShown, amendment_shown
from treatments.models import Amendment, Course, InjectionSession

if TYPE_CHECKING:
    from .timeline import TimelineEntry

Amended = dict[tuple[str, int], list[AmendmentShown]]


def _grouped(amendments: Iterable[Amendment]) -> Amended:
    grouped: Amended = defaultdict(list)
    for amendment in amendments:
        grouped[amendment.record_key].append(amendment_shown(amendment))
    return grouped


def amend_url(patient_id: int, kind: str, pk: int) -> str:
    return reverse("treatments:amend", args=[patient_id, kind, pk])


def with_amendments(entries: list[TimelineEntry], course: Course) -> list[TimelineEntry]:
    """The timeline's records of care with their amendments and amendment link (the page
    shows the link to whoever may record that kind); one query, none without a record."""
    if not any(e.record for e in entries):
        return entries
    amended = _grouped(Amendment.objects.filter(course=course).select_related("by"))
    return [
        replace(
            e,
            amendments=tuple(amended.get(e.record, ())),
            amend_url=amend_url(course.patient_id, *e.record),
            amend_action=AMENDABLE[e.record[0]].action.value,
        )
        if e.record
        else e
        for e in entries
    ]


def session_amendments(session: InjectionSession) -> Amended:
    """The session's amendments and its aftercare's, by record (one query)."""
    return _grouped(
        Amendment.objects.filter(Q(session=session) | Q(aftercare__session=session))
        .select_related("by")
        .order_by("at", "id")
    )
