"""Production settings refuse an insecure configuration; the permission doc matches the code."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from botoxcare.management.commands.permission_matrix import render_matrix

ROOT = Path(__file__).resolve().parents[2]


def manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "BOTOXCARE_ENV",
            "EMAIL_URL",
            "SMS_BACKEND",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean["DATABASE_URL"] = "sqlite:////tmp/botoxcare-settings-check.sqlite3"
    return subprocess.run(  # noqa: S603 (our own manage.py)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


GOOD = {
    "BOTOXCARE_ENV": "production",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "clinic.example.org",
    "EMAIL_URL": "smtp+tls://clinic:secret@smtp.example.org:587",
}


def test_production_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **GOOD)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"DEBUG": "true"}, "DEBUG must be off"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be set"),  # long, but two letters
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the hosts"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name the hosts"),
        ({"ALLOWED_HOSTS": "clinic.example.org,.example.org,*.example.org"}, "no wildcard"),
        ({"EMAIL_URL": "consolemail://"}, "EMAIL_URL must name a real mail server"),
        ({"EMAIL_URL": "smtp://clinic:secret@smtp.example.org:25"}, "EMAIL_URL must use TLS"),
    ],
)
def test_production_refuses_an_insecure_configuration(change, complaint):
    env = {**GOOD, **change}
    if not env["SECRET_KEY"]:
        del env["SECRET_KEY"]
    result = manage("check", **env)
    assert result.returncode != 0
    assert complaint in result.stderr


def test_the_demo_data_refuses_to_load_in_production():
    result = manage("seed_demo", **GOOD)
    assert result.returncode != 0
    assert "seed_demo refuses to run in production" in result.stderr


def test_permission_doc_matches_the_code():
    assert (ROOT / "docs" / "PERMISSIONS.md").read_text() == render_matrix(), (
        "run: python manage.py permission_matrix"
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"retreatment_window_weeks": 13}, "retreatment_window_weeks"),
        ({"chronic_migraine_days": 16}, "chronic_migraine_days"),
    ],
)
def test_clinic_settings_refuse_numbers_that_contradict_each_other(changes, field):
    from django.core.exceptions import ValidationError

    from botoxcare.models import ClinicSettings

    ClinicSettings().clean()  # the defaults agree with each other
    with pytest.raises(ValidationError) as refused:
        ClinicSettings(**changes).clean()
    assert list(refused.value.message_dict) == [field]


def test_the_dose_table_reads_in_the_protocols_order_whatever_the_storage_order():
    from botoxcare.models import PREEMPT_MUSCLES, ClinicSettings

    shuffled = dict(reversed(list(PREEMPT_MUSCLES.items())))
    shuffled["zygomaticus"] = dict(PREEMPT_MUSCLES["procerus"], label="Added by the clinic")
    cfg = ClinicSettings(muscle_limits=shuffled)
    assert list(cfg.muscles_in_order) == [*PREEMPT_MUSCLES, "zygomaticus"]
