"""The patient page's timeline: newest first by default with a switch for oldest first, the
events of one day in the order they happened, a filter by kind (timeline.KINDS); parameters
the page does not offer are ignored."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from pages.staff.timeline import DOCUMENT, KINDS, TRANSITION, VISIT, TimelineEntry
from pages.staff.timeline_view import timeline_view
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

SEEN = "<strong>Consultation</strong>"
EVALUATED = "<strong>1 · Consultation and evaluation → 2 · Preparing for treatment</strong>"


def local(day_offset: int, hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def evaluated(patient, clinician, nurse, lot, consent_form):
    """Seen two days ago (the walker enters the consultation at 10:00), the evaluation
    completed at 11:00 that day."""
    course = Course.objects.get(patient=patient)
    advance(course, State.CONSENT, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(days=2))  # fmt: skip
    return course


def page(client, patient, query: str = "") -> str:
    response = client.get(reverse("staff:patient", args=[patient.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_newest_first_by_default_and_oldest_first_on_the_switch(
    client_for, patient, clinician, evaluated
):
    client = client_for(clinician)
    text = page(client, patient)
    assert EVALUATED in text and SEEN in text
    assert text.index(EVALUATED) < text.index(SEEN)  # the step at 11:00, then the 10:00 visit
    oldest = page(client, patient, "?order=oldest")
    assert oldest.index(SEEN) < oldest.index(EVALUATED)
    assert f'href="/patients/{patient.pk}/?order=oldest#timeline" aria-current="true"' in oldest


def test_a_record_entered_after_a_step_that_day_comes_after_it():
    """The other direction: a date-only record sorts by when it was entered, so entered at
    11:00 it follows a step taken at 10:00 the same day."""
    day = local(1, 0).date()
    step = TimelineEntry(local(1, 10), "Step", None, [], TRANSITION, local(1, 10))
    seen = TimelineEntry(day, "Consultation", None, [], VISIT, local(1, 11))
    earlier = TimelineEntry(day - timedelta(days=1), "Earlier", None, [], VISIT, local(0, 8))
    ordered = sorted([seen, earlier, step], key=lambda e: e.sort_key)
    assert [e.title for e in ordered] == ["Earlier", "Step", "Consultation"]
    newest = timeline_view(ordered, params=QueryDict(), path="/p/")
    assert [e.title for e in newest.entries] == ["Consultation", "Step", "Earlier"]
    assert seen.entered == "entered 11:00"
    assert earlier.entered.startswith("entered ") and earlier.entered.endswith(", 08:00")


def test_the_filter_shows_one_kind_and_keeps_the_order(client_for, patient, clinician, evaluated):
    client = client_for(clinician)
    steps = page(client, patient, "?kind=transition&order=oldest")
    assert EVALUATED in steps and SEEN not in steps
    visits = page(client, patient, "?kind=visit")
    assert SEEN in visits and EVALUATED not in visits
    # Each link keeps the other choice: switching the order keeps the kind, and back.
    assert f'href="/patients/{patient.pk}/?kind=visit#timeline"' in visits  # newest: no order
    assert f'href="/patients/{patient.pk}/?kind=visit&amp;order=oldest#timeline"' in visits
    assert f'href="/patients/{patient.pk}/?order=oldest#timeline"' in steps  # "All"
    documents = page(client, patient, "?kind=document")
    assert SEEN not in documents and EVALUATED not in documents
    assert "No documents on this course yet." in documents


def test_each_kind_filters_its_own_entries():
    at = local(3, 12)
    entries = [
        TimelineEntry(at.date(), f"A {kind}", None, [], kind, at + timedelta(minutes=n))
        for n, kind in enumerate(KINDS)
    ]
    for kind in KINDS:
        view = timeline_view(entries, params=QueryDict(f"kind={kind}"), path="/p/")
        assert [e.kind for e in view.entries] == [kind]
        assert [c.label for c in view.kinds if c.current] == [KINDS[kind]]
    assert set(KINDS) == {VISIT, TRANSITION, DOCUMENT}


@pytest.mark.parametrize(
    "query",
    [
        "?order=sideways",
        "?kind=messages",
        "?kind=",
        "?order=&kind=%00",
        "?order=oldest&order=newest&kind=visit&kind=x",
        "?kind=<script>alert(1)</script>",
        "?order=" + "x" * 3000,
        "?other=kept&kind[]=1",
    ],
)
def test_nonsense_parameters_are_ignored(client_for, patient, clinician, evaluated, query):
    text = page(client_for(clinician), patient, query)
    assert SEEN in text  # nothing is filtered by a kind the page does not offer
    assert "<script>alert(1)" not in text


def test_other_parameters_stay_in_the_links():
    view = timeline_view([], params=QueryDict("kind=bogus&keep=1"), path="/p/")
    assert view.kind == "" and view.order == "newest"
    assert [c.href for c in view.orders] == [
        "/p/?keep=1#timeline",
        "/p/?keep=1&order=oldest#timeline",
    ]


def test_a_documents_entry_links_its_pdf(client_for, patient, clinician, nurse, lot, consent_form):
    from treatments.models import Document

    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(days=5))  # fmt: skip
    from treatments.services.documents import documents_missing_make

    documents_missing_make()
    document = Document.objects.filter(course=course).first()
    assert document is not None
    text = page(client_for(clinician), patient, "?kind=document")
    assert reverse("treatments:document", args=[patient.pk, document.pk]) in text
    assert "<strong>Injection session</strong>" not in text


def test_a_sessions_entry_links_its_page(client_for, patient, clinician, nurse, lot, consent_form):
    from treatments.models import InjectionSession

    course = Course.objects.get(patient=patient)
    advance(course, State.POST_CARE, clinician=clinician, nurse=nurse, lot=lot,
            start=timezone.localdate() - timedelta(days=5))  # fmt: skip
    session = InjectionSession.objects.get(course=course)
    text = page(client_for(clinician), patient, "?kind=visit")
    assert reverse("staff:session", args=[patient.pk, session.pk]) in text
    assert "The whole session, printable" in text
