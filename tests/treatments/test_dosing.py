"""Step 3's dose and dilution rules as pure functions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from treatments import dosing
from treatments.reasons import Reason

pytestmark = pytest.mark.django_db


def test_dilution_must_give_five_units_per_site(clinic):
    cfg = clinic.settings
    assert dosing.dilution_refusals(200, Decimal("4.0"), cfg) == []
    assert dosing.dilution_refusals(100, Decimal("2.0"), cfg) == []
    [problem] = dosing.dilution_refusals(200, Decimal("2.0"), cfg)
    assert problem.code == Reason.DILUTION_WRONG and problem.field == "diluent_ml"
    assert "4 mL" in problem.message  # the volume that would give 5 U per 0.1 mL


def test_a_muscle_whose_row_misses_a_cell_is_refused_not_a_crash(clinic):
    """A dose table stored by hand without a muscle's maximum: the service that records a
    session refuses that muscle with a code instead of failing on the missing cell."""
    cfg = clinic.settings
    del cfg.muscle_limits["temporalis"]["max_sites"]
    refusals = dosing.dose_refusals({"temporalis": (8, 40)}, cfg)
    assert [r.code for r in refusals] == [Reason.MUSCLE_TABLE_INCOMPLETE]
