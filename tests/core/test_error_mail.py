"""Server errors reach a log always, and the ADMINS by email when they are set, without the
patient data a full error report would carry (local variables, the request's fields)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A page that fails with a patient's name in a local variable and in its query string.
SCRIPT = """
import json, sys, django
django.setup()
assert "botoxcare.urls" not in sys.modules
import botoxcare.views as views

def boom(request):
    patient_note = "Ruth Ellison: severe migraine"
    raise RuntimeError("the page broke")

views.healthz = boom  # before the URLconf is read
from django.conf import settings
from django.core import mail
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
status = Client(raise_request_exception=False).get("/healthz?q=Ruth+Ellison").status_code
print(json.dumps({
    "status": status,
    "admins": settings.ADMINS,
    "mails": [{"to": m.to, "subject": m.subject, "body": m.body} for m in mail.outbox],
}))
"""


def run(admins: str | None) -> tuple[dict, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"ADMINS", "BOTOXCARE_ENV"}}
    env["DJANGO_SETTINGS_MODULE"] = "botoxcare.settings"
    env["DATABASE_URL"] = "sqlite:////tmp/botoxcare-error-mail.sqlite3"
    if admins is not None:
        env["ADMINS"] = admins
    result = subprocess.run(  # noqa: S603 (our own interpreter)
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def test_an_error_is_mailed_to_the_admins_without_patient_data():
    out, log = run("Night Ops <ops@example.org>, second@example.org")
    assert out["status"] == 500
    assert out["admins"] == [
        ["Night Ops", "ops@example.org"],
        ["second@example.org", "second@example.org"],
    ]
    [sent] = out["mails"]
    assert sent["to"] == ["ops@example.org", "second@example.org"]
    assert "/healthz" in sent["subject"]
    assert "RuntimeError: the page broke" in sent["body"]
    assert "Ruth" not in sent["body"] + sent["subject"]  # no local variables, no query
    assert "RuntimeError: the page broke" in log  # and in the console log too


def test_without_admins_an_error_is_logged_and_mailed_to_no_one():
    out, log = run(None)
    assert out["status"] == 500 and out["admins"] == [] and out["mails"] == []
    assert "Internal Server Error: /healthz" in log and "RuntimeError: the page broke" in log


def test_admins_that_are_not_addresses_are_refused():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "botoxcare.settings", "ADMINS": "Night Ops"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0 and "ADMINS must be email addresses" in result.stderr
