"""Sending a short message to a patient by their preferred channel.

Bodies carry only what the message needs: never a diagnosis, a drug or a dose. Nothing here
logs a phone number, an address or a body.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from patients.models import ContactChannel, Patient


class SMSBackend:
    """The adapter interface: a real SMS gateway subclasses this and implements send()."""

    available = True

    def send(self, *, to: str, body: str) -> None:
        raise NotImplementedError


class ConsoleSMSBackend(SMSBackend):
    """Local use: prints the text with the number masked, instead of sending it."""

    def send(self, *, to: str, body: str) -> None:
        print(f"[sms to ...{to[-3:]}] {body}")


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


class NoContactRoute(Exception):
    """The patient has no address on any channel we can send on."""


def patient_message_send(*, patient: Patient, subject: str, body: str) -> str:
    """Send by the patient's preferred channel, else the other one; returns the channel used."""
    sms = sms_backend()
    channels = [ContactChannel.SMS, ContactChannel.EMAIL]
    if patient.preferred_channel == ContactChannel.EMAIL:
        channels.reverse()
    for channel in channels:
        if channel == ContactChannel.EMAIL and patient.email:
            send_mail(subject, body, None, [patient.email])
            return channel
        if channel == ContactChannel.SMS and patient.phone and sms.available:
            sms.send(to=patient.phone, body=body)
            return channel
    raise NoContactRoute("no email address, or no phone number with texts enabled")
