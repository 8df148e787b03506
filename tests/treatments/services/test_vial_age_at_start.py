"""A vial's age is judged at the session's recorded start time (SessionConduct.started_at)
when there is one, not when the session was recorded: 23.9 hours before the start is used,
24.1 refused; a second vial reconstituted during the session (after the start, by its end)
is accepted, one reconstituted after the end refused."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import advance, at, record_session
from treatments import services
from treatments.models import State
from treatments.reasons import Reason
from treatments.services import SessionConduct

pytestmark = pytest.mark.django_db

START = time(10, 0)


@pytest.fixture
def day():
    return timezone.localdate() - timedelta(days=1)


@pytest.fixture
def at_injection(course, clinician, nurse, consent_form, lot, day):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot, start=day)
    return course


def vial(lot, given, discarded, reconstituted_at):
    return services.VialUse(
        lot=lot,
        diluent_ml=Decimal(lot.vial_units) / 50,
        reconstituted_at=reconstituted_at,
        units_given=given,
        units_discarded=discarded,
    )


def record(course, clinician, lot, day, vials, ended_at=None):
    return record_session(
        course,
        clinician=clinician,
        lot=lot,
        day=day,
        vials=vials,
        conduct=SessionConduct(started_at=START, ended_at=ended_at),
    )


def refused(course, clinician, lot, day, vials, ended_at=None):
    with pytest.raises(DomainError) as error:
        record(course, clinician, lot, day, vials, ended_at)
    assert not course.sessions.exists()
    return error.value.refusals


def test_23_9_hours_before_the_start_is_used(at_injection, clinician, lot, day):
    """Recorded the next day, the old rule (the end of the session's day) would refuse it."""
    start = at(day, 10)
    session = record(
        at_injection, clinician, lot, day, [vial(lot, 155, 45, start - timedelta(hours=23.9))]
    )
    assert session.started_at == START and session.vials.count() == 1


def test_24_1_hours_before_the_start_is_refused(at_injection, clinician, lot, day):
    start = at(day, 10)
    [refusal] = refused(
        at_injection, clinician, lot, day, [vial(lot, 155, 45, start - timedelta(hours=24.1))]
    )
    assert refusal.code == Reason.VIAL_TOO_OLD and refusal.field == "vials.0.reconstituted_at"
    assert "6 minutes past the 24 hours" in refusal.message


def test_a_second_vial_reconstituted_during_the_session_is_used(at_injection, clinician, lot, day):
    start = at(day, 10)
    lot.vial_units = 100
    lot.save()
    vials = [
        vial(lot, 100, 0, start - timedelta(hours=1)),
        vial(lot, 55, 45, start + timedelta(minutes=20)),
    ]
    session = record(at_injection, clinician, lot, day, vials, ended_at=time(10, 40))
    assert session.vials.count() == 2


def test_a_vial_reconstituted_after_the_sessions_end_is_refused(at_injection, clinician, lot, day):
    start = at(day, 10)
    [refusal] = refused(
        at_injection,
        clinician,
        lot,
        day,
        [vial(lot, 155, 45, start + timedelta(minutes=50))],
        ended_at=time(10, 40),
    )
    assert refusal.code == Reason.VIAL_RECONSTITUTED_LATER
