"""How a session went at the chair: start and end times, position, cleansing, needle, an
immediate reaction and what was done; kept on the session, audited, shown on its page."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.journey import advance, record_session
from tests.web import injection_post, url
from treatments.models import Course, InjectionSession, State
from treatments.reasons import Reason
from treatments.services import SessionConduct

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(patient, clinician, nurse, lot, consent_form):
    course = Course.objects.get(patient=patient)
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    return course


def test_the_session_keeps_how_it_went(course, clinician, lot):
    conduct = SessionConduct(
        started_at=time(10, 5),
        ended_at=time(10, 5),  # the same minute: not before the start
        position="sitting",
        skin_cleansed=True,
        needle_gauge=30,
        reaction="vasovagal",
        reaction_action="  Laid flat, recovered in five minutes.  ",
    )
    session = record_session(course, clinician=clinician, lot=lot, conduct=conduct)
    session.refresh_from_db()
    assert (session.started_at, session.ended_at, session.position) == (
        time(10, 5),
        time(10, 5),
        "sitting",
    )
    assert session.skin_cleansed and session.needle_gauge == 30
    assert session.reaction_action == "Laid flat, recovered in five minutes."
    event = AuditEvent.objects.get(action="injection_session.recorded")
    assert event.data["reaction"] == "vasovagal" and event.data["needle_gauge"] == 30


@pytest.mark.parametrize(
    ("conduct", "code"),
    [
        (
            SessionConduct(started_at=time(10, 5), ended_at=time(10, 4)),
            Reason.SESSION_ENDS_BEFORE_START,
        ),
        (SessionConduct(reaction="bleeding", reaction_action="  "), Reason.REACTION_NEEDS_ACTION),
    ],
)
def test_refusals_change_nothing(course, clinician, lot, conduct, code):
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, conduct=conduct)
    assert refused.value.codes == [code]
    assert not InjectionSession.objects.exists()
    course.refresh_from_db()
    assert course.state == State.INJECTION


def test_no_reaction_needs_no_action(course, clinician, lot):
    record_session(course, clinician=clinician, lot=lot, conduct=SessionConduct(reaction="none"))
    assert InjectionSession.objects.get().reaction == "none"


def test_the_form_records_it_and_the_session_page_shows_it(
    client_for, course, clinician, patient, lot
):
    from django.utils import timezone

    client = client_for(clinician)
    bad = injection_post(
        lot, timezone.localdate(), started_at="10:30", ended_at="10:10", reaction="pain"
    )
    page = client.post(url("injection", patient), bad)
    assert page.status_code == 400
    html = page.content.decode()
    assert 'data-refusal="session_ends_before_start"' in html
    assert not InjectionSession.objects.exists()
    good = injection_post(
        lot,
        timezone.localdate(),
        started_at="10:10",
        ended_at="10:30",
        position="lying",
        skin_cleansed="on",
        needle_gauge="30",
        reaction="bruising",
        reaction_action="Pressure for two minutes.",
    )
    assert client.post(url("injection", patient), good).status_code == 302
    session = InjectionSession.objects.get()
    shown = client.get(reverse("staff:session", args=[patient.pk, session.pk])).content.decode()
    assert "From 10:10 to 10:30" in shown and "Position: Lying" in shown
    assert "Needle: 30 G" in shown and "Injection areas cleansed" in shown
    assert "Immediate reaction: Bruising; done: Pressure for two minutes." in shown


def test_a_nurse_records_the_session_and_the_page_says_who_gave_it(
    client_for, course, nurse, patient, lot
):
    """Nurses inject in this clinic (botoxcare.roles): the session keeps who recorded it."""
    from django.utils import timezone

    page = client_for(nurse).post(
        url("injection", patient), injection_post(lot, timezone.localdate())
    )
    assert page.status_code == 302
    session = InjectionSession.objects.get()
    assert session.clinician == nurse
    shown = client_for(nurse).get(reverse("staff:session", args=[patient.pk, session.pk]))
    text = shown.content.decode()
    assert "<dt>Given by</dt>" in text and nurse.get_full_name() in text
