"""The one re-treatment status rule: before the window, window open, due, overdue by N days."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from botoxcare.models import ClinicSettings
from treatments.retreatment import Due, retreatment_status

SESSION = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("day", "kind", "label"),
    [
        (69, Due.BEFORE_WINDOW, ""),
        (70, Due.WINDOW_OPEN, "window open"),
        (83, Due.WINDOW_OPEN, "window open"),
        (84, Due.DUE, "due today"),
        (85, Due.OVERDUE, "overdue by 1 day"),
        (100, Due.OVERDUE, "overdue by 16 days"),
    ],
)
def test_status_by_day_after_the_session(day, kind, label):
    status = retreatment_status(SESSION, ClinicSettings(), SESSION + timedelta(days=day))
    assert status is not None
    assert (status.kind, status.label) == (kind, label)
    assert status.due == SESSION + timedelta(weeks=12)
    assert status.opens == SESSION + timedelta(weeks=10)
    assert status.needs_booking == (kind in (Due.DUE, Due.OVERDUE))


def test_the_clinics_weeks_set_the_window():
    cfg = ClinicSettings(retreatment_window_weeks=11, retreatment_due_weeks=13)
    status = retreatment_status(SESSION, cfg, SESSION + timedelta(weeks=11))
    assert status is not None and status.kind == Due.WINDOW_OPEN
    assert status.due == SESSION + timedelta(weeks=13)


def test_no_status_before_any_session():
    assert retreatment_status(None, ClinicSettings(), SESSION) is None
