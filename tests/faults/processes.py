"""The real processes a fault test starts, stops and kills: a Redis of its own, the app served
by gunicorn, a Celery worker; each against the test database, each cleaned up by its fixture."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def wait_for(
    condition: Callable[[], Any],
    seconds: float = 20,
    every: float = 0.05,
    why: Callable[[], str] | None = None,
) -> Any:
    """Poll until `condition()` is truthy (and return it), or fail after `seconds` (saying
    `why()` if given)."""
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"not true after {seconds} s: {why() if why else condition}")
        time.sleep(every)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def database_url() -> str:
    """The URL of the database this test runs on (pytest-django's test_… database), for the
    processes the test starts."""
    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    user = cfg["USER"] or "postgres"
    return f"postgres://{user}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}"


class PrivateRedis:
    """A redis-server of the test's own on a free port, to stop and start without touching
    the machine's."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)  # noqa: S603
        wait_for(lambda: _answers(self.port), 10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # as a crash would: no goodbye to the clients
            self.process.wait(10)
            self.process = None


class AppProcess:
    """One process of the app (gunicorn serving it, or a Celery worker) on the test database,
    with tests.faults.settings (texts recorded to `sms_log`)."""

    def __init__(
        self,
        command: list[str],
        *,
        redis_url: str,
        sms_log: Path,
        log: Path,
        env: dict[str, str] | None = None,
    ) -> None:
        self.command = command
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis_url,
            "FAULTS_SMS_LOG": str(sms_log),
            "DEBUG": "false",
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> AppProcess:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                self.command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
            )
        return self

    def kill(self) -> None:
        """SIGKILL: no handler runs, no message is acknowledged, no claim is given back."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None


def web(*, redis_url: str, sms_log: Path, log: Path) -> tuple[AppProcess, str]:
    """The app under gunicorn (one worker process) on a free port, and its base URL, once it
    answers."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "botoxcare.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--timeout", "60"]
    process = AppProcess(command, redis_url=redis_url, sms_log=sms_log, log=log).start()
    wait_for(lambda: _answers(port) or process.process.poll() is not None, 30)  # type: ignore[union-attr]
    assert process.process is not None and process.process.poll() is None, log.read_text()
    return process, f"http://127.0.0.1:{port}"


def worker(
    *, redis_url: str, sms_log: Path, log: Path, name: str, env: dict[str, str] | None = None
) -> AppProcess:
    """A Celery worker (solo pool: the sweep runs in the process a SIGKILL kills)."""
    command = [sys.executable, "-m", "celery", "-A", "botoxcare", "worker", "--pool=solo"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
    command += ["--loglevel=WARNING", f"--hostname={name}@%h"]
    return AppProcess(command, redis_url=redis_url, sms_log=sms_log, log=log, env=env).start()
