"""Fixtures of the fault tests: the processes each test starts are stopped (or killed) when it
ends, pass or fail, before the test database is emptied."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from .processes import AppProcess, PrivateRedis, web, worker


@pytest.fixture
def sms_log(tmp_path: Path) -> Path:
    return tmp_path / "sms.log"


@pytest.fixture
def private_redis(monkeypatch: pytest.MonkeyPatch) -> Iterator[PrivateRedis]:
    """A Redis of the test's own; tasks queued from the test go to a queue, not run at once."""
    from botoxcare.celery import app

    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    monkeypatch.setitem(app.conf, "task_always_eager", False)  # the tests' settings run eagerly
    redis = PrivateRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@pytest.fixture
def processes(
    transactional_db: Any, tmp_path: Path, sms_log: Path
) -> Iterator[dict[str, Callable[..., Any]]]:
    """Start the app's processes: `web(redis_url)` -> (process, base URL) and
    `worker(redis_url, name)` -> process; each log in the test's tmp_path."""
    started: list[AppProcess] = []

    def start_web(redis_url: str = "") -> tuple[AppProcess, str]:
        process, base = web(
            redis_url=redis_url, sms_log=sms_log, log=tmp_path / f"web{len(started)}.log"
        )
        started.append(process)
        return process, base

    def start_worker(redis_url: str, name: str = "w", **env: str) -> AppProcess:
        log = tmp_path / f"{name}.log"
        process = worker(redis_url=redis_url, sms_log=sms_log, log=log, name=name, env=env)
        started.append(process)
        return process

    try:
        yield {"web": start_web, "worker": start_worker}
    finally:
        for process in started:
            process.stop()
