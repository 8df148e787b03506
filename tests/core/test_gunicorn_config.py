"""gunicorn.conf.py: the workers, timeouts and restarts production runs with, and an access
log that never writes a query string (a search by a patient's name is ?q=<name>)."""

from __future__ import annotations

import os
import re
import runpy
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def load(monkeypatch: Any, **env: str) -> dict[str, Any]:
    for name in ("GUNICORN_WORKERS", "WEB_CONCURRENCY", "GUNICORN_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONF))


def test_every_setting_is_one_gunicorn_knows(monkeypatch: Any) -> None:
    config = Config()
    settings = {k: v for k, v in load(monkeypatch).items() if not k.startswith("_")}
    settings.pop("os", None)
    settings.pop("annotations", None)
    unknown = set(settings) - set(config.settings)
    assert not unknown
    for name, value in settings.items():
        config.set(name, value)  # gunicorn's own validators
    assert config.max_requests == 1000
    assert config.max_requests_jitter == 100
    assert config.timeout == 30
    assert config.graceful_timeout == 30
    assert config.control_socket_disable is True


def test_workers_default_to_twice_the_cores_plus_one(monkeypatch: Any) -> None:
    assert load(monkeypatch)["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert load(monkeypatch, WEB_CONCURRENCY="4")["workers"] == 4
    assert load(monkeypatch, WEB_CONCURRENCY="4", GUNICORN_WORKERS="2")["workers"] == 2
    assert load(monkeypatch, GUNICORN_TIMEOUT="60")["timeout"] == 60


@pytest.mark.parametrize(
    "atom",
    ["%(r)s", "%(q)s", "%(f)s", "%({Referer}i)s", "%({referer}i)s", "%(a)s", "%({raw_uri}e)s"],
)
def test_access_log_writes_no_query_string_or_referrer(monkeypatch: Any, atom: str) -> None:
    log_format = load(monkeypatch)["access_log_format"]
    assert atom not in log_format


def test_access_log_line_has_the_path_only(monkeypatch: Any) -> None:
    log_format = load(monkeypatch)["access_log_format"]
    atoms = {key: f"<{key}>" for key in re.findall(r"%\((\w+)\)s", log_format)}
    line = log_format % {**atoms, "m": "GET", "U": "/patients/", "q": "q=Ruth+Ellison"}
    assert '"GET /patients/"' in line
    assert "Ruth" not in line
