"""The database connections the settings make: persistent, checked, JIT off on PostgreSQL, and
SQLite in WAL mode so that one gunicorn worker writing does not lock the others out."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection, transaction

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


def test_connections_persist_and_are_checked() -> None:
    db = settings.DATABASES["default"]
    assert db["CONN_MAX_AGE"] == 60
    assert db["CONN_HEALTH_CHECKS"] is True


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_connection_has_jit_off() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite only")
@pytest.mark.django_db
def test_sqlite_runs_in_wal_mode() -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite only")
@pytest.mark.django_db(transaction=True)
def test_sqlite_write_commits_while_another_connection_reads() -> None:
    """A reader in the middle of its transaction (another worker rendering a page) does not
    stop a writer committing. In SQLite's default journal the commit waits for the reader,
    which here waits for the commit: 'database is locked' after the 20 s timeout."""
    reading, written = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    groups = Group.objects.count()

    def in_thread(work: Any) -> threading.Thread:
        def run() -> None:
            try:
                work()
            except BaseException as error:  # reported by the test, not lost in the thread
                errors.append(error)
                reading.set()
                written.set()
            finally:
                connection.close()

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def reader() -> None:
        # A deferred read transaction by hand (the app's atomic blocks begin IMMEDIATE, as
        # writers): what a long read such as a CSV export streaming its rows holds.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            cursor.execute("SELECT count(*) FROM auth_group")
            assert cursor.fetchone() == (groups,)
            reading.set()
            assert written.wait(timeout=30), "the writer never committed"
            # Still in its transaction: it goes on seeing the database as it began.
            cursor.execute("SELECT count(*) FROM auth_group")
            assert cursor.fetchone() == (groups,)
            cursor.execute("COMMIT")

    def writer() -> None:
        assert reading.wait(timeout=30)
        with transaction.atomic():
            Group.objects.create(name="written while read")
        written.set()

    threads = [in_thread(reader), in_thread(writer)]
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Group.objects.filter(name="written while read").exists()
