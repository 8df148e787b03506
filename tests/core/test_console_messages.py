"""The embedded default's channels print messages headed 'not sent — console', never in a form
that reads like mail or texts that went out; and the sweep says it sent nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from botoxcare.messaging import ConsoleEmailBackend, ConsoleSMSBackend, sends_nothing


def test_console_text_says_not_sent_and_masks_the_number(capsys: Any) -> None:
    ConsoleSMSBackend().send(to="07700900123", body="Your visit is tomorrow.")
    printed = capsys.readouterr().out
    assert printed == "[text not sent — console] to ...123: Your visit is tomorrow.\n"


def test_console_email_says_not_sent_and_masks_the_address() -> None:
    stream = io.StringIO()
    message = mail.EmailMessage(
        "A reminder", "Sign in: https://x/portal/", to=["ruth.ellison@example.org"]
    )
    ConsoleEmailBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert printed.startswith("[email not sent — console] to r...@example.org: A reminder\n")
    assert "Sign in: https://x/portal/" in printed  # the demo's links still reach the reader
    assert "ruth.ellison" not in printed
    assert "Content-Type" not in printed  # not Django's raw message


def test_embedded_default_uses_the_console_email_backend() -> None:
    from botoxcare import settings as app_settings  # the module, before pytest-django's locmem

    assert app_settings.EMAIL_BACKEND == "botoxcare.messaging.ConsoleEmailBackend"


def test_sends_nothing_only_when_every_channel_prints(settings: Any) -> None:
    settings.EMAIL_BACKEND = "botoxcare.messaging.ConsoleEmailBackend"
    settings.SMS_BACKEND = "botoxcare.messaging.ConsoleSMSBackend"
    assert sends_nothing()
    settings.SMS_BACKEND = "botoxcare.messaging.DisabledSMSBackend"
    assert sends_nothing()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert not sends_nothing()


@pytest.mark.django_db
def test_sweep_says_not_sent_on_the_console(settings: Any) -> None:
    settings.EMAIL_BACKEND = "botoxcare.messaging.ConsoleEmailBackend"
    settings.SMS_BACKEND = "botoxcare.messaging.ConsoleSMSBackend"
    out = io.StringIO()
    call_command("reminders_sweep", stdout=out)
    assert out.getvalue() == "reminders handled (not sent — console): 0\n"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("reminders_sweep", stdout=out)
    assert out.getvalue() == "reminders sent: 0\n"
