"""A bilateral muscle's sites by side (InjectionSite.sites_left / sites_right): stored as the
clinician gave them, refused when they do not add up to the muscle's sites or are given for
a midline muscle (procerus), null when not given (judged as before), and the start of the
next session's form (selectors.last_doses)."""

from __future__ import annotations

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.journey import FIXED_SITES, record_session
from treatments import selectors
from treatments.models import State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

# Follow-the-pain on the right trapezius: one more site there, 5 U more.
SITES = {**FIXED_SITES, "trapezius": (7, 35)}


def refused(course, clinician, lot, **kwargs):
    with pytest.raises(DomainError) as caught:
        record_session(course, clinician=clinician, lot=lot, **kwargs)
    course.refresh_from_db()
    assert course.state == State.INJECTION and not course.sessions.exists()
    return caught.value.refusals


def test_the_sides_are_stored_and_logged(at_injection, clinician, lot):
    sides = {"trapezius": (3, 4), "temporalis": (4, 4)}
    session = record_session(at_injection, clinician=clinician, lot=lot, sites=SITES, sides=sides)
    rows = {s.muscle: (s.sites, s.sites_left, s.sites_right) for s in session.sites.all()}
    assert rows["trapezius"] == (7, 3, 4)
    assert rows["temporalis"] == (8, 4, 4)
    assert rows["occipitalis"] == (6, None, None)  # not given: not recorded
    assert rows["procerus"] == (1, None, None)
    event = AuditEvent.objects.get(action="injection_session.recorded")
    assert event.data["sides"] == {"temporalis": [4, 4], "trapezius": [3, 4]}


def test_sides_that_do_not_add_up_are_refused_on_the_muscles_row(at_injection, clinician, lot):
    [refusal] = refused(at_injection, clinician, lot, sites=SITES, sides={"trapezius": (3, 3)})
    assert refusal.code == Reason.SIDES_NOT_SITES
    assert refusal.field == "sites.trapezius.left"
    assert refusal.subject == "Trapezius (bilateral)"
    assert "3 left and 3 right is not the 7 sites given" in refusal.message


def test_one_side_alone_is_refused(at_injection, clinician, lot):
    [refusal] = refused(at_injection, clinician, lot, sites=SITES, sides={"trapezius": (7, None)})
    assert refusal.code == Reason.SIDES_NOT_SITES and "7 left and — right" in refusal.message


def test_sides_of_a_midline_muscle_are_refused(at_injection, clinician, lot):
    [refusal] = refused(at_injection, clinician, lot, sides={"procerus": (1, 0)})
    assert refusal.code == Reason.SIDES_OF_MIDLINE
    assert refusal.field == "sites.procerus.sites"


def test_the_dose_limits_stay_the_muscles(at_injection, clinician, lot):
    """11 trapezius sites, 6 + 5 by side: above the muscle's maximum of 10, refused as before;
    the sides add up, so nothing more."""
    refusals = refused(
        at_injection,
        clinician,
        lot,
        sites={**FIXED_SITES, "trapezius": (11, 55)},
        sides={"trapezius": (6, 5)},
    )
    assert {r.code for r in refusals} == {Reason.MUSCLE_UNITS_ABOVE_MAX,
                                          Reason.MUSCLE_SITES_ABOVE_MAX}  # fmt: skip


def test_no_sides_is_as_before(at_injection, clinician, lot):
    session = record_session(at_injection, clinician=clinician, lot=lot, sites=SITES)
    assert all(s.sites_left is None and s.sites_right is None for s in session.sites.all())
    event = AuditEvent.objects.get(action="injection_session.recorded")
    assert "sides" not in event.data


def test_last_doses_carry_the_sides(at_injection, clinician, lot):
    record_session(
        at_injection, clinician=clinician, lot=lot, sites=SITES, sides={"trapezius": (3, 4)}
    )
    at_injection.refresh_from_db()
    last = selectors.last_doses(course=at_injection)
    assert last is not None
    assert last.doses["trapezius"] == (7, 35)
    assert last.sides == {"trapezius": (3, 4)}
