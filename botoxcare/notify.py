"""Sending a short message to a patient by their preferred channel.

Bodies carry only what the message needs: never a diagnosis, a drug or a dose.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

from patients.models import ContactChannel, Patient

logger = logging.getLogger(__name__)


class SMSBackend(Protocol):
    def send(self, *, to: str, body: str) -> None: ...


class ConsoleSMSBackend:
    """Prints the text instead of sending it: for local use and tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, body: str) -> None:
        self.outbox.append((to, body))
        print(f"[sms] to {to}: {body}")


def sms_backend() -> SMSBackend:
    path = getattr(settings, "SMS_BACKEND", "botoxcare.notify.ConsoleSMSBackend")
    backend: SMSBackend = import_string(path)()
    return backend


class NoContactRoute(Exception):
    """The patient has no address for any channel we can send on."""


def patient_message_send(*, patient: Patient, subject: str, body: str) -> str:
    """Send by email or SMS, preferring the patient's channel; returns the channel used."""
    wants_email = patient.preferred_channel == ContactChannel.EMAIL
    if patient.email and (wants_email or not patient.phone):
        send_mail(subject, body, None, [patient.email])
        return ContactChannel.EMAIL
    if patient.phone:
        sms_backend().send(to=patient.phone, body=body)
        return ContactChannel.SMS
    raise NoContactRoute("no email address or phone number")
