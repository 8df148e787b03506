"""The one rule for a lot's expiry ("do not use after" the date on the pack), in Python and in
SQL: both say the same on the expiry date and the day after."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.factories import ProductLotFactory
from treatments import dosing
from treatments.models import ProductLot, lot_usable_on
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db

EXPIRY = date(2027, 3, 3)


@pytest.mark.parametrize(
    ("day", "usable"),
    [(EXPIRY - timedelta(days=1), True), (EXPIRY, True), (EXPIRY + timedelta(days=1), False)],
)
def test_the_rule_in_python_and_sql_agree_at_the_boundary(clinic, day, usable):
    lot = ProductLotFactory(clinic=clinic, expiry_date=EXPIRY)
    assert lot_usable_on(EXPIRY, day) is usable
    assert lot.usable_on(day) is usable
    assert ProductLot.objects.filter(pk=lot.pk).usable_on(day).exists() is usable


def test_the_guard_says_when_the_lot_was_to_be_used_by(clinic):
    lot = ProductLotFactory(clinic=clinic, lot_number="C7001C3", expiry_date=EXPIRY)
    assert dosing.lot_expired(lot, EXPIRY) is None
    refusal = dosing.lot_expired(lot, EXPIRY + timedelta(days=1))
    assert refusal is not None and refusal.code == Reason.LOT_EXPIRED
    assert refusal.message == (
        "Lot C7001C3 expired on 3 Mar 2027 (use by that date); the session is on 4 Mar 2027."
    )
