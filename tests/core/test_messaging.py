"""Messaging: one rule picks the channel a message goes by, and says who cannot be reached."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core import mail

from botoxcare.messaging import NoContactRoute, message_send, reachable


@dataclass
class Someone:
    email: str = ""
    phone: str = ""
    preferred_channel: str = "phone"


@pytest.mark.parametrize(
    ("person", "texts", "channel"),
    [
        (
            Someone(email="a@example.org", phone="07700 900123", preferred_channel="email"),
            True,
            "email",
        ),
        (
            Someone(email="a@example.org", phone="07700 900123", preferred_channel="sms"),
            True,
            "sms",
        ),
        (
            Someone(email="a@example.org", phone="07700 900123", preferred_channel="sms"),
            False,
            "email",
        ),
        (Someone(phone="07700 900123", preferred_channel="email"), True, "sms"),
    ],
)
def test_message_goes_by_the_preferred_channel_else_the_other(
    settings, sms_outbox, person, texts, channel
):
    if not texts:
        settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    assert reachable(person)
    assert message_send(to=person, subject="Hello", body="See you soon.") == channel
    assert len(mail.outbox) == (channel == "email")
    assert len(sms_outbox) == (channel == "sms")


def test_nobody_to_send_to_is_unreachable_and_refused(settings, sms_outbox):
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    phone_only = Someone(phone="07700 900123", preferred_channel="sms")
    assert not reachable(phone_only)
    with pytest.raises(NoContactRoute):
        message_send(to=phone_only, subject="Hello", body="See you soon.")
    assert not mail.outbox and not sms_outbox


def test_emails_come_from_a_neutral_sender(settings):
    from botoxcare import settings as defaults

    assert not [w for w in ("botox", "migraine", "toxin") if w in defaults.DEFAULT_FROM_EMAIL]


@pytest.mark.parametrize(
    ("clock", "until"),
    [
        ("21:30", "2026-11-26 08:00"),
        ("00:10", "2026-11-25 08:00"),
        ("07:59", "2026-11-25 08:00"),
        ("08:00", None),
        ("19:59", None),
        ("20:00", "2026-11-26 08:00"),
    ],
)
def test_quiet_hours_span_the_night(clock, until):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from botoxcare.messaging import quiet_until

    london = ZoneInfo("Europe/London")
    hour, minute = map(int, clock.split(":"))
    now = datetime(2026, 11, 25, hour, minute, tzinfo=london)
    found = quiet_until(now, time(20, 0), time(8, 0))
    expected = datetime.strptime(until, "%Y-%m-%d %H:%M").replace(tzinfo=london) if until else None
    assert found == expected


@pytest.mark.django_db
@pytest.mark.parametrize("texts_on", [True, False])
def test_reachable_q_agrees_with_reachable(settings, texts_on):
    """The schedules page filters on reachable_q; reminders are sent by _route."""
    from botoxcare.messaging import reachable, reachable_q
    from patients.models import Patient
    from tests.factories import PatientFactory

    if not texts_on:
        settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    made = [
        PatientFactory(phone=phone, email=email, preferred_channel=channel)
        for phone in ("", "07700 900123")
        for email in ("", "a@example.org")
        for channel in ("phone", "sms", "email")
    ]
    by_rule = {p.pk for p in made if reachable(p)}
    assert set(Patient.objects.filter(reachable_q()).values_list("pk", flat=True)) == by_rule
    assert by_rule  # both kinds are present
    assert len(by_rule) < len(made)
