"""Filling in the missing days of the last fortnight in one call."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from botoxcare.errors import DomainError
from botoxcare.models import AuditEvent
from diary.models import DiaryEntry
from diary.reasons import Reason
from diary.services import DayRecord, days_missing, diary_days_backfill, diary_entry_record

from .writers import patient_with_login

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


@pytest.fixture
def me(clinic):
    return patient_with_login(clinic)


def test_fourteen_days_are_filled_in_one_call(me):
    days = {TODAY - timedelta(days=n): n % 3 == 0 for n in range(14)}
    assert days_missing(patient=me, today=TODAY) == sorted(days, reverse=True)
    entries = diary_days_backfill(patient=me, by=me.user, days=days, today=TODAY)
    assert len(entries) == 14
    stored = dict(DiaryEntry.objects.values_list("day", "headache"))
    assert stored == days
    assert days_missing(patient=me, today=TODAY) == []
    assert AuditEvent.objects.filter(action="diary.days_backfilled").count() == 1


def test_only_the_missing_days_are_offered(me):
    diary_entry_record(
        patient=me,
        by=me.user,
        day=TODAY - timedelta(days=2),
        record=DayRecord(headache=False),
        today=TODAY,
    )
    missing = days_missing(patient=me, today=TODAY)
    assert len(missing) == 13 and TODAY - timedelta(days=2) not in missing


def test_a_recorded_day_older_or_future_day_refuses_the_whole_backfill(me):
    diary_entry_record(
        patient=me, by=me.user, day=TODAY, record=DayRecord(headache=False), today=TODAY
    )
    for day, code in [
        (TODAY, Reason.DAY_ALREADY_RECORDED),
        (TODAY - timedelta(days=14), Reason.DAY_NOT_IN_BACKFILL),
        (TODAY + timedelta(days=1), Reason.DAY_IN_FUTURE),
    ]:
        with pytest.raises(DomainError) as error:
            diary_days_backfill(
                patient=me,
                by=me.user,
                days={day: True, TODAY - timedelta(days=1): True},
                today=TODAY,
            )
        assert error.value.codes == [code]
    assert DiaryEntry.objects.count() == 1


def test_an_empty_backfill_is_refused(me):
    with pytest.raises(DomainError) as error:
        diary_days_backfill(patient=me, by=me.user, days={}, today=TODAY)
    assert error.value.codes == [Reason.NOTHING_TO_BACKFILL]
