"""Correcting a signed clinical record: the record takes the corrected value, the amendment
keeps the one before, who, when and why; every refusal has its code and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from botoxcare.roles import Action, user_can
from tests.journey import advance
from treatments.amendable import AMENDABLE
from treatments.models import Amendment, Consultation, Course, State
from treatments.reasons import Reason
from treatments.services import record_amend

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 11, 30, tzinfo=UTC)


@pytest.fixture
def course(patient, clinician, nurse, lot, consent_form):
    """A course in maintenance whose session was three weeks ago, its vial reconstituted at
    09:30 that day (tests.journey.record_session)."""
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=3)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    return course


def codes(excinfo):
    return {r.code for r in excinfo.value.refusals}


def test_an_amendment_corrects_the_record_and_keeps_the_original(course, clinician):
    session = course.sessions.get()
    before = session.tolerability
    amendment = record_amend(
        user=clinician,
        record=session,
        changes={"tolerability": "Mild headache for a day", "needle_gauge": 30},
        reason="Typed into the wrong patient's notes first",
        now=NOW,
    )
    session.refresh_from_db()
    assert session.tolerability == "Mild headache for a day" and session.needle_gauge == 30
    amendment.refresh_from_db()
    assert amendment.session_id == session.pk and amendment.course_id == course.pk
    assert amendment.by == clinician and amendment.at == NOW
    assert amendment.reason == "Typed into the wrong patient's notes first"
    assert amendment.record_key == ("session", session.pk)
    assert amendment.changes["tolerability"] == {
        "label": "Tolerability",
        "before": before,
        "after": "Mild headache for a day",
    }
    assert amendment.changes["needle_gauge"]["after"] == 30
    event = AuditEvent.objects.get(action="record.amended")
    assert (event.target_type, event.target_id) == ("treatments.injectionsession", session.pk)
    assert event.data["kind"] == "session" and event.data["amendment"] == amendment.pk
    assert event.data["changes"]["tolerability"] == [before, "Mild headache for a day"]


def test_a_second_amendment_keeps_the_first(course, clinician):
    c = course.consultations.get()
    original = c.history
    for text in ("Second version", "Third version"):
        record_amend(user=clinician, record=c, changes={"history": text}, reason="Typo")
    first, second = Amendment.objects.filter(consultation=c).order_by("at", "id")
    assert first.changes["history"]["before"] == original
    assert second.changes["history"] == {
        "label": "History",
        "before": "Second version",
        "after": "Third version",
    }
    assert Consultation.objects.get(pk=c.pk).history == "Third version"


def test_figures_typed_over_are_no_longer_the_diarys(course, clinician):
    c = course.consultations.get()
    Consultation.objects.filter(pk=c.pk).update(figures_from_diary=True)
    c.refresh_from_db()
    record_amend(
        user=clinician,
        record=c,
        changes={"headache_days_per_month": c.headache_days_per_month + 1},
        reason="Miscounted",
    )
    c.refresh_from_db()
    assert not c.figures_from_diary
    changes = Amendment.objects.get().changes
    assert changes["figures_from_diary"] == {
        "label": "Figures from the diary",
        "before": True,
        "after": False,
    }


@pytest.mark.parametrize(
    ("kind", "changes", "reason", "code"),
    [
        ("session", {"tolerability": "x"}, "   ", Reason.AMENDMENT_REASON_MISSING),
        ("session", {}, "why", Reason.AMENDMENT_UNCHANGED),
        ("session", {"session_date": "2026-01-01"}, "why", Reason.AMENDMENT_FIELD_NOT_AMENDABLE),
        ("consultation", {"decision": "declined"}, "why", Reason.AMENDMENT_FIELD_NOT_AMENDABLE),
        ("session", {"position": "standing"}, "why", Reason.AMENDMENT_VALUE_INVALID),
        ("session", {"needle_gauge": 25}, "why", Reason.AMENDMENT_VALUE_INVALID),
        ("consultation", {"pattern_months": 601}, "why", Reason.AMENDMENT_VALUE_INVALID),
        ("consultation", {"history": "  "}, "why", Reason.AMENDMENT_VALUE_INVALID),
        (
            "session",
            {"started_at": time(10, 0), "ended_at": time(9, 59)},
            "why",
            Reason.SESSION_ENDS_BEFORE_START,
        ),
        (
            "session",
            {"reaction": "bleeding", "reaction_action": ""},
            "why",
            Reason.REACTION_NEEDS_ACTION,
        ),
        ("consultation", {"headache_days_per_month": 32}, "why", Reason.MONTH_DAYS_EXCEEDED),
        (
            "consultation",
            {"headache_days_per_month": 16, "migraine_days_per_month": 17},
            "why",
            Reason.MIGRAINE_ABOVE_HEADACHE,
        ),
        # The consultation confirmed chronic migraine: figures below it contradict that.
        ("consultation", {"headache_days_per_month": 10}, "why", Reason.FIGURES_BELOW_CHRONIC),
        ("consultation", {"medication_overuse": ""}, "why", Reason.OVERUSE_NOT_RECORDED),
        ("preparation", {"advice": ""}, "why", Reason.AMENDMENT_VALUE_INVALID),
    ],
)
def test_refusals_change_nothing(course, clinician, kind, changes, reason, code):
    record = {
        "session": course.sessions.get,
        "consultation": course.consultations.get,
        "preparation": course.preparations.get,
    }[kind]()
    with pytest.raises(DomainError) as excinfo:
        record_amend(user=clinician, record=record, changes=changes, reason=reason)
    assert code in codes(excinfo)
    assert not Amendment.objects.exists()
    assert not AuditEvent.objects.filter(action="record.amended").exists()
    fresh = type(record).objects.get(pk=record.pk)
    assert all(getattr(fresh, f.attname) == getattr(record, f.attname) for f in fresh._meta.fields)


def test_corrected_times_are_judged_against_the_vials(course, clinician):
    """The session's guard judges a vial's reconstitution up to the session's end: times
    ending before the vial was reconstituted are refused, times after it accepted."""
    session = course.sessions.get()
    made = timezone.localtime(session.vials.get().reconstituted_at)
    assert made.date() == session.session_date

    def at(minutes):
        return (made + timedelta(minutes=minutes)).time()

    with pytest.raises(DomainError) as excinfo:
        record_amend(
            user=clinician,
            record=session,
            changes={"started_at": at(-40), "ended_at": at(-10)},
            reason="why",
        )
    assert codes(excinfo) == {Reason.VIAL_RECONSTITUTED_LATER}
    record_amend(
        user=clinician,
        record=session,
        changes={"started_at": at(10), "ended_at": at(30)},
        reason="The chair's clock",
    )
    session.refresh_from_db()
    assert session.started_at == at(10)


def test_the_same_value_is_nothing_changed(course, clinician):
    session = course.sessions.get()
    with pytest.raises(DomainError) as excinfo:
        record_amend(
            user=clinician,
            record=session,
            changes={"tolerability": f"  {session.tolerability}  "},
            reason="why",
        )
    assert codes(excinfo) == {Reason.AMENDMENT_UNCHANGED}


def test_a_consent_is_not_amended(course, clinician):
    with pytest.raises(DomainError) as excinfo:
        record_amend(
            user=clinician,
            record=course.consents.get(),
            changes={"signer_name": "x"},
            reason="why",
        )
    assert codes(excinfo) == {Reason.AMENDMENT_FIELD_NOT_AMENDABLE}


@pytest.mark.parametrize(
    ("kind", "field", "action"),
    [
        ("consultation", "notes", Action.RECORD_CONSULTATION),
        ("preparation", "advice", Action.RECORD_PREPARATION),
        ("session", "tolerability", Action.RECORD_INJECTION),
        ("aftercare", "comfort_measures", Action.ISSUE_AFTERCARE),
    ],
)
def test_who_may_amend_is_who_may_record(
    course, clinician, nurse, receptionist, clinic_admin, kind, field, action
):
    """The role that records the kind of record amends it (botoxcare/roles.py), and neither
    reception nor the clinic admin, who record none, amends any."""
    assert AMENDABLE[kind].action == action
    record = getattr(course, {"preparation": "preparations"}.get(kind, f"{kind}s")).get()
    people = [clinician, nurse, receptionist, clinic_admin]
    allowed = [user for user in people if user_can(user, action)]
    assert clinician in allowed and receptionist not in allowed and clinic_admin not in allowed
    for n, user in enumerate(people):
        change = {field: f"Corrected, {n}"}
        if user in allowed:
            record_amend(user=user, record=record, changes=change, reason="why")
        else:
            with pytest.raises(PermissionDenied):
                record_amend(user=user, record=record, changes=change, reason="why")
    assert Amendment.objects.count() == len(allowed)
