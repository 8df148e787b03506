"""Sending a short message to a patient by their preferred channel.

A module the apps call, never the reverse: it knows channels and addresses, not patients.
Anything with `email`, `phone` and `preferred_channel` can be a recipient.

Bodies carry only what the message needs: never a diagnosis, a drug or a dose. Nothing here
logs a phone number, an address or a body.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.core.mail.backends import console
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string


class ContactChannel(models.TextChoices):
    PHONE = "phone", "Phone call"
    SMS = "sms", "Text message"
    EMAIL = "email", "Email"


class Recipient(Protocol):
    email: str
    phone: str
    preferred_channel: str


class SMSBackend:
    """The adapter interface: a real SMS gateway subclasses this and implements send()."""

    available = True

    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


# What the console adapters print first, so that a printed message is never taken for a sent one.
NOT_SENT = "not sent — console"


class ConsoleSMSBackend(SMSBackend):
    """Local use: prints the text with the number masked, instead of sending it."""

    def send(self, *, to: str, body: str) -> None:
        print(f"[text {NOT_SENT}] to ...{to[-3:]}: {body}")


class ConsoleEmailBackend(console.EmailBackend):
    """Local use (EMAIL_URL consolemail://, the embedded default): prints each email's
    subject and text, the address masked, instead of Django's raw message, which reads like
    mail that went out. Sign-in and invitation links stay in the text for the demo."""

    def write_message(self, message: EmailMessage) -> None:
        for address in message.recipients():
            local, _, domain = address.partition("@")
            self.stream.write(f"[email {NOT_SENT}] to {local[:1]}...@{domain}: {message.subject}\n")
        self.stream.write(f"{message.body}\n{'-' * 79}\n")


class LocmemSMSBackend(SMSBackend):
    """Tests: keeps the messages in a list, like Django's locmem email backend."""

    outbox: ClassVar[list[tuple[str, str]]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append((to, body))


class DisabledSMSBackend(SMSBackend):
    """Production until a gateway is configured: texts are not sent, email is used instead."""

    available = False


def sms_backend() -> SMSBackend:
    backend: SMSBackend = import_string(settings.SMS_BACKEND)()
    return backend


def sends_nothing() -> bool:
    """Whether every channel here only prints (the embedded default): the sweep says so."""
    return issubclass(import_string(settings.EMAIL_BACKEND), console.EmailBackend) and isinstance(
        sms_backend(), ConsoleSMSBackend | DisabledSMSBackend
    )


class NoContactRoute(Exception):
    """The recipient has no address on any channel we can send on."""


def _route(recipient: Recipient, texts_on: bool) -> ContactChannel | None:
    """The channel a message goes by: the preferred one if it can be used, else the other;
    None when neither can. The one rule behind sending and the "cannot reach" warning."""
    channels = [ContactChannel.SMS, ContactChannel.EMAIL]
    if recipient.preferred_channel == ContactChannel.EMAIL:
        channels.reverse()
    for channel in channels:
        if channel == ContactChannel.EMAIL and recipient.email:
            return channel
        if channel == ContactChannel.SMS and recipient.phone and texts_on:
            return channel
    return None


def channel_for(recipient: Recipient) -> ContactChannel | None:
    """The channel a message to `recipient` would go by now, or None."""
    return _route(recipient, sms_backend().available)


def quiet_until(now: datetime, start: time, end: time) -> datetime | None:
    """When the quiet hours (no texts at night, in the current time zone) around `now` end, or
    None outside them. `start` after `end` spans midnight (20:00 to 08:00)."""
    local = timezone.localtime(now)
    clock = local.time()
    spans_midnight = start > end
    inside = (clock >= start or clock < end) if spans_midnight else (start <= clock < end)
    if not inside:
        return None
    day = local.date() + timedelta(days=1) if spans_midnight and clock >= start else local.date()
    return timezone.make_aware(datetime.combine(day, end))


def reachable(recipient: Recipient) -> bool:
    """Whether reminders can reach this recipient with the channels enabled here."""
    return _route(recipient, sms_backend().available) is not None


def reachable_q(prefix: str = "") -> Q:
    """`reachable` as a query filter over rows with `email` and `phone` fields (behind
    `prefix`, e.g. "patient__"): the preferred channel only decides the order in `_route`, so
    a recipient is reachable when it has an email address, or a phone number and texts are on."""
    found = ~Q(**{f"{prefix}email": ""})
    if sms_backend().available:
        found |= ~Q(**{f"{prefix}phone": ""})
    return found


def texts_enabled() -> bool:
    return sms_backend().available


def message_send(*, to: Recipient, subject: str, body: str) -> str:
    """Send by the recipient's preferred channel, else the other one; returns the channel
    used. Raises NoContactRoute when neither can be used."""
    sms = sms_backend()
    channel = _route(to, sms.available)
    if channel == ContactChannel.EMAIL:
        send_mail(subject, body, None, [to.email])
    elif channel == ContactChannel.SMS:
        sms.send(to=to.phone, body=body)
    else:
        raise NoContactRoute("no email address, or no phone number with texts enabled")
    return channel
