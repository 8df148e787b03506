"""Is this deployment's infrastructure answering: the database, and the broker when there is
one. Read by `/healthz` (botoxcare.views) and `manage.py ops_status`; says nothing about any
patient, only "ok", "not configured" or the kind of failure.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import DatabaseError, connection

# A monitor polls every few seconds: a hung server must fail the check, not hang it.
TIMEOUT_SECONDS = 2.0


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    state: str  # "ok", "not configured", or what failed (an exception's class, no message)


def database_check() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return Check("database", False, f"unreachable ({type(error).__name__})")
    return Check("database", True, "ok")


def broker_check() -> Check:
    """The Celery broker (Redis). The embedded default has none: tasks run in-process and the
    reminder sweep in `manage.py reminders_sweep --loop`, which is not a failure."""
    url = settings.CELERY_BROKER_URL
    if url.startswith("memory://"):
        return Check("broker", True, "not configured (tasks run in-process)")
    client = redis.Redis.from_url(
        url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError) as error:
        return Check("broker", False, f"unreachable ({type(error).__name__})")
    finally:
        client.close()
    return Check("broker", True, "ok")


def checks() -> list[Check]:
    return [database_check(), broker_check()]
