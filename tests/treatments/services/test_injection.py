"""Step 3 through its service: doses, dilution, lots, consent on the day, cycles and windows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from botoxcare.errors import DomainError
from tests.journey import FIXED_SITES, advance, record_session
from treatments import services
from treatments.models import (
    State,
)
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def test_withdrawn_or_expired_consent_is_not_valid(course, clinician, nurse, consent_form, lot):
    advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=timezone.localdate() - timedelta(days=400),
    )
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert refused.value.codes == [Reason.CONSENT_EXPIRED]
    course.refresh_from_db()
    assert course.state == State.INJECTION
    assert not course.sessions.exists()  # nothing kept from the refused session


@pytest.mark.parametrize(
    ("muscle", "sites", "units", "expected"),
    [
        ("temporalis", 12, 60, [Reason.MUSCLE_UNITS_ABOVE_MAX, Reason.MUSCLE_SITES_ABOVE_MAX]),
        ("procerus", 2, 10, [Reason.MUSCLE_UNITS_ABOVE_MAX, Reason.MUSCLE_SITES_ABOVE_MAX]),
        ("procerus", 2, 5, [Reason.MUSCLE_DOSE_PER_SITE, Reason.MUSCLE_SITES_ABOVE_MAX]),
    ],
)
def test_session_over_the_limits_is_refused(
    course, clinician, nurse, consent_form, lot, muscle, sites, units, expected
):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    dose = dict(FIXED_SITES, **{muscle: (sites, units)})
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, sites=dose)
    assert refused.value.codes == expected
    assert {r.field.rsplit(".", 1)[0] for r in refused.value.refusals} == {f"sites.{muscle}"}
    assert not course.sessions.exists()


def test_a_lot_may_be_used_on_its_expiry_date(course, clinician, nurse, consent_form, lot):
    """ "Do not use after" the date on the pack: the expiry date itself is still usable."""
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    lot.expiry_date = timezone.localdate()
    lot.save()
    session = record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert session.vials.get().lot == lot
    course.refresh_from_db()
    assert course.state == State.POST_CARE


def test_a_lot_is_refused_the_day_after_its_expiry_date(
    course, clinician, nurse, consent_form, lot
):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    today = timezone.localdate()
    lot.expiry_date = today - timedelta(days=1)
    lot.save()
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=today)
    assert refused.value.codes == [Reason.LOT_EXPIRED]
    [refusal] = refused.value.refusals
    assert refusal.field == "vials.0.lot" and refusal.subject == "Vial 1"
    expiry = f"{lot.expiry_date.day} {lot.expiry_date:%b %Y}"
    assert f"Lot {lot.lot_number} expired on {expiry} (use by that date)" in refusal.message
    assert "on or before" not in refusal.message
    course.refresh_from_db()
    assert course.state == State.INJECTION
    assert not course.sessions.exists()


def test_expiry_is_judged_on_the_session_date_not_today(
    course, clinician, nurse, consent_form, lot
):
    """A session recorded the day after it took place, with a lot that expired on the day of
    the session: it was usable then."""
    today = timezone.localdate()
    advance(
        course,
        State.INJECTION,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=today - timedelta(days=10),
    )
    lot.expiry_date = today - timedelta(days=1)
    lot.save()
    session = record_session(course, clinician=clinician, lot=lot, day=lot.expiry_date)
    assert session.session_date == lot.expiry_date


def test_lot_of_another_clinic_is_refused(
    course, clinician, nurse, consent_form, lot, other_clinic
):
    from tests.factories import ProductLotFactory

    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    foreign = ProductLotFactory(clinic=other_clinic)
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=foreign, day=timezone.localdate())
    assert refused.value.codes == [Reason.LOT_OF_ANOTHER_CLINIC]


def test_second_session_cannot_be_backdated_into_the_first_cycle(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    first = today - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    services.retreatment_start(course=course, by=clinician, reviewed_on=today, notes="ok")
    for day, expected in [
        (first, Reason.SESSION_BEFORE_PREVIOUS),
        (first + timedelta(weeks=6), Reason.WINDOW_NOT_OPEN),
    ]:
        with pytest.raises(DomainError) as refused:
            record_session(course, clinician=clinician, lot=lot, day=day)
        assert refused.value.codes == [expected]
    record_session(course, clinician=clinician, lot=lot, day=today)
    course.refresh_from_db()
    assert course.state == State.POST_CARE and course.sessions.count() == 2


def test_an_old_override_does_not_allow_an_early_session_next_cycle(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    start = today - timedelta(weeks=6)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=start + timedelta(weeks=4),
        notes="ok",
        override_reason="Travelling.",
    )
    advance(
        course,
        State.MAINTENANCE,
        clinician=clinician,
        nurse=nurse,
        lot=lot,
        start=start + timedelta(weeks=4),
    )
    services.course_transition(course=course, name="renew_consent", by=nurse)
    services.consent_record_paper(course=course, by=nurse, signer_name="P", signed_on=today)
    services.preparation_record(course=course, by=nurse, reviewed_on=today, advice="x", flags={})
    services.course_transition(course=course, name="record_consent", by=nurse)
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=today)
    assert Reason.RESPONSE_NOT_REVIEWED in refused.value.codes
    assert Reason.WINDOW_NOT_OPEN in refused.value.codes


def test_session_refused_for_wrong_dilution_or_dose_per_site(
    course, clinician, nurse, consent_form, lot
):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    with pytest.raises(DomainError) as refused:
        record_session(
            course,
            clinician=clinician,
            lot=lot,
            diluent_ml="2.0",
            sites=dict(FIXED_SITES, frontalis=(1, 20)),
        )
    by_code = {r.code: r for r in refused.value.refusals}
    assert set(by_code) == {Reason.DILUTION_WRONG, Reason.MUSCLE_DOSE_PER_SITE}
    assert by_code[Reason.MUSCLE_DOSE_PER_SITE].field == "sites.frontalis.units"
    assert by_code[Reason.DILUTION_WRONG].field == "vials.0.diluent_ml"
    assert not course.sessions.exists()


def test_withdrawn_consent_blocks_the_session(course, clinician, nurse, consent_form, lot):
    advance(course, State.INJECTION, clinician=clinician, nurse=nurse, lot=lot)
    consent = course.consents.get()
    consent.withdrawn_on = timezone.localdate()
    consent.save()
    with pytest.raises(DomainError) as refused:
        record_session(course, clinician=clinician, lot=lot, day=timezone.localdate())
    assert refused.value.codes == [Reason.CONSENT_WITHDRAWN]


def test_each_session_keeps_the_courses_last_session_date(
    course, clinician, nurse, consent_form, lot
):
    today = timezone.localdate()
    first = today - timedelta(weeks=11)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=first)
    course.refresh_from_db()
    assert course.last_session_on == first
    services.retreatment_start(course=course, by=clinician, reviewed_on=today, notes="ok")
    record_session(course, clinician=clinician, lot=lot, day=today)
    course.refresh_from_db()
    assert course.last_session_on == today
