"""Step 3's vials through the service, at each boundary: hours since reconstitution (the
clinic's setting), the lot's expiry on the session date and the day after, every unit of a
vial given or discarded, the vials' units given the sites' total, two lots in one session."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from tests.factories import ProductLotFactory
from tests.journey import FIXED_SITES, advance, at, record_session
from treatments import selectors, services
from treatments.models import State
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def vial(lot, given, discarded, *, hours_ago=0.5, now=None, diluent_ml=None):
    moment = now or timezone.now()
    return services.VialUse(
        lot=lot,
        diluent_ml=diluent_ml or Decimal(lot.vial_units) / 50,
        reconstituted_at=moment - timedelta(hours=hours_ago),
        units_given=given,
        units_discarded=discarded,
    )


def refused_with(course, clinician, lot, vials, **kwargs):
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, vials=vials, **kwargs)
    course.refresh_from_db()
    assert course.state == State.INJECTION and not course.sessions.exists()
    return refused.value.refusals


def test_a_vial_reconstituted_23_9_hours_before_is_used(at_injection, clinician, lot):
    now = timezone.now()
    session = record_session(
        at_injection,
        clinician=clinician,
        lot=lot,
        vials=[vial(lot, 155, 45, hours_ago=23.9, now=now)],
        now=now,
    )
    [used] = session.vials.all()
    assert used.reconstituted_at == now - timedelta(hours=23.9)
    assert (used.vial_units, used.units_given, used.units_discarded) == (200, 155, 45)


def test_a_vial_reconstituted_24_1_hours_before_is_refused_saying_by_how_much(
    at_injection, clinician, lot
):
    now = timezone.now()
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(lot, 155, 45, hours_ago=24.1, now=now)], now=now
    )
    assert refusal.code == Reason.VIAL_TOO_OLD
    assert refusal.field == "vials.0.reconstituted_at" and refusal.subject == "Vial 1"
    assert "6 minutes past the 24 hours" in refusal.message


def test_the_hours_are_the_clinics_setting(at_injection, clinician, lot):
    cfg = at_injection.clinic_settings
    cfg.vial_use_hours = 6
    cfg.save()
    now = timezone.now()
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(lot, 155, 45, hours_ago=6.5, now=now)], now=now
    )
    assert refusal.code == Reason.VIAL_TOO_OLD and "30 minutes past the 6 hours" in refusal.text
    record_session(
        at_injection,
        clinician=clinician,
        lot=lot,
        vials=[vial(lot, 155, 45, hours_ago=5.9, now=now)],
        now=now,
    )


def test_a_vial_reconstituted_after_the_session_was_recorded_is_refused(
    at_injection, clinician, lot
):
    now = timezone.now()
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(lot, 155, 45, hours_ago=-1, now=now)], now=now
    )
    assert refusal.code == Reason.VIAL_RECONSTITUTED_LATER


def test_a_session_recorded_after_its_day_is_judged_at_that_days_end(
    course, clinician, nurse, consent_form, lot
):
    """Entered two days later: a vial reconstituted that morning was within its hours then;
    one reconstituted the day before the session, in the morning, was not."""
    today = timezone.localdate()
    day = today - timedelta(days=2)
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot, start=day)
    stale = [vial(lot, 155, 45, now=at(day - timedelta(days=1), 9), hours_ago=0)]
    [refusal] = refused_with(course, clinician, lot, stale, day=day)
    assert refusal.code == Reason.VIAL_TOO_OLD
    record_session(
        course,
        clinician=clinician,
        lot=lot,
        day=day,
        vials=[vial(lot, 155, 45, now=at(day, 9), hours_ago=0)],
    )


def test_a_second_vials_lot_expiring_on_the_session_date_is_used_the_day_after_refused(
    at_injection, clinician, lot, clinic
):
    today = timezone.localdate()
    on_the_day = ProductLotFactory(clinic=clinic, vial_units=100, expiry_date=today)
    gone = ProductLotFactory(clinic=clinic, vial_units=100, expiry_date=today - timedelta(1))
    sites = dict(FIXED_SITES, temporalis=(10, 50), occipitalis=(8, 40), trapezius=(10, 50))
    assert sum(u for _n, u in sites.values()) == 195
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(lot, 195, 5), vial(gone, 0, 100)], sites=sites
    )
    assert refusal.code == Reason.LOT_EXPIRED and refusal.field == "vials.1.lot"
    assert refusal.subject == "Vial 2" and f"Lot {gone.lot_number} expired on" in refusal.message
    # A vial opened and wholly discarded is recorded too.
    session = record_session(
        at_injection,
        clinician=clinician,
        lot=lot,
        sites=sites,
        vials=[vial(lot, 195, 5), vial(on_the_day, 0, 100)],
    )
    assert session.vials.count() == 2


def test_units_given_and_discarded_equal_to_the_vial_are_accepted_above_refused(
    at_injection, clinician, lot
):
    """The issue's two gaps: one 200-unit vial with 195 U given and 50 U discarded, and
    155 U from one 100-unit vial."""
    sites = dict(FIXED_SITES, temporalis=(10, 50), occipitalis=(8, 40), trapezius=(10, 50))
    [refusal] = refused_with(at_injection, clinician, lot, [vial(lot, 195, 50)], sites=sites)
    assert refusal.code == Reason.VIAL_UNITS_NOT_ACCOUNTED
    assert refusal.field == "vials.0.units_discarded"
    assert refusal.message == "195 U given + 50 U discarded is 245 U; a 200 U vial holds 200 U."
    small = ProductLotFactory(clinic=lot.clinic, vial_units=100)
    [refusal] = refused_with(at_injection, clinician, lot, [vial(small, 155, 0)])
    assert refusal.code == Reason.VIAL_UNITS_NOT_ACCOUNTED and "a 100 U vial" in refusal.message
    # Below the vial is refused too: 5 U unaccounted for.
    [refusal] = refused_with(at_injection, clinician, lot, [vial(lot, 155, 40)])
    assert refusal.code == Reason.VIAL_UNITS_NOT_ACCOUNTED
    session = record_session(
        at_injection, clinician=clinician, lot=lot, sites=sites, vials=[vial(lot, 195, 5)]
    )
    assert session.units_discarded == 5


def test_the_units_given_from_the_vials_must_be_the_sites_total(at_injection, clinician, lot):
    small = ProductLotFactory(clinic=lot.clinic, vial_units=100)
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(small, 100, 0), vial(small, 50, 50)]
    )
    assert refusal.code == Reason.VIALS_GIVEN_NOT_SITES and refusal.field == "vials"
    assert "add up to 150 U but the sites received 155 U" in refusal.message


def test_no_vial_is_refused(at_injection, clinician, lot):
    [refusal] = refused_with(at_injection, clinician, lot, [])
    assert refusal.code == Reason.VIALS_MISSING


def test_a_vial_of_another_clinics_lot_is_refused_on_its_row(
    at_injection, clinician, lot, other_clinic
):
    theirs = ProductLotFactory(clinic=other_clinic, vial_units=100)
    small = ProductLotFactory(clinic=lot.clinic, vial_units=100)
    [refusal] = refused_with(
        at_injection, clinician, lot, [vial(small, 100, 0), vial(theirs, 55, 45)]
    )
    assert refusal.code == Reason.LOT_OF_ANOTHER_CLINIC and refusal.field == "vials.1.lot"


def test_two_vials_of_different_lots_in_one_session(at_injection, clinician, lot, clinic):
    """Recorded, audited with both vials, and each lot's recall counts its own vial only."""
    second = ProductLotFactory(clinic=clinic, vial_units=100, lot_number="C7200C3")
    session = record_session(
        at_injection,
        clinician=clinician,
        lot=lot,
        vials=[vial(lot, 100, 100, diluent_ml=Decimal("4.0")), vial(second, 55, 45)],
    )
    assert [(v.lot, v.units_given, v.units_discarded) for v in session.vials.all()] == [
        (lot, 100, 100),
        (second, 55, 45),
    ]
    at_injection.refresh_from_db()
    assert at_injection.state == State.POST_CARE
    event = AuditEvent.objects.get(action="injection_session.recorded", target_id=session.pk)
    logged = [
        (v["lot_number"], v["units_given"], v["units_discarded"]) for v in event.data["vials"]
    ]
    assert logged == [(lot.lot_number, 100, 100), ("C7200C3", 55, 45)]
    [from_first] = selectors.lot_recipients(lot=lot)
    [from_second] = selectors.lot_recipients(lot=second)
    assert (from_first.units_from_lot, from_first.discarded_from_lot) == (100, 100)
    assert (from_second.units_from_lot, from_second.discarded_from_lot) == (55, 45)
    assert selectors.lot_recipients_count(lot=second) == {"sessions": 1, "patients": 1}
