"""The rules of "Call me" requests as pure functions: when an answer is due, the digits a
phone number is counted by, and the keyed hash an address is counted by."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from django.utils import timezone


def phone_digits(phone: str) -> str:
    """The digits of a number, for counting requests per phone ("+44 7700 900123" and
    "07700 900123" differ; both are the same person's habit of typing)."""
    return "".join(ch for ch in phone if ch.isdigit())


def address_hash(address: str | None, key: str) -> str:
    """A keyed hash of the sender's address: the same address gives the same hash, so
    requests can be counted, but the address cannot be read back."""
    return hmac.new(key.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def answer_due(created_at: datetime, working_days: int) -> datetime:
    """The moment a request should have been answered: `working_days` weekdays after it came
    in, at the same local time (a request on Friday afternoon is due on Monday afternoon)."""
    local = timezone.localtime(created_at)
    day = local.date()
    left = working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return timezone.make_aware(datetime.combine(day, local.time().replace(tzinfo=None)))
