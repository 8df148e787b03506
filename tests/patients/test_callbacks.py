"""The pure rules of call-back requests: when an answer is due, and how requests are counted."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from patients.callbacks import address_hash, answer_due, phone_digits

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("asked", "days", "due"),
    [
        (
            datetime(2026, 11, 23, 15, 0, tzinfo=LONDON),
            1,
            datetime(2026, 11, 24, 15, 0, tzinfo=LONDON),
        ),  # Mon
        (
            datetime(2026, 11, 27, 16, 30, tzinfo=LONDON),
            1,
            datetime(2026, 11, 30, 16, 30, tzinfo=LONDON),
        ),  # Fri
        (
            datetime(2026, 11, 28, 10, 0, tzinfo=LONDON),
            1,
            datetime(2026, 11, 30, 10, 0, tzinfo=LONDON),
        ),  # Sat
        (
            datetime(2026, 11, 26, 9, 0, tzinfo=LONDON),
            2,
            datetime(2026, 11, 30, 9, 0, tzinfo=LONDON),
        ),  # Thu
    ],
)
def test_an_answer_is_due_working_days_later(asked, days, due):
    assert answer_due(asked, days) == due


def test_phone_numbers_are_counted_by_their_digits():
    assert phone_digits("07700 900-123") == phone_digits("(07700) 900123") == "07700900123"


def test_addresses_are_counted_by_a_keyed_hash():
    one = address_hash("203.0.113.9", "key-1")
    assert one == address_hash("203.0.113.9", "key-1")
    assert one != address_hash("203.0.113.10", "key-1")
    assert one != address_hash("203.0.113.9", "key-2")
    assert "203.0.113.9" not in one
