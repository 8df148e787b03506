"""Backups restore every record (docs/OPERATIONS.md, "Backups"): PostgreSQL through
pg_dump -Fc / pg_restore into a fresh database, the embedded SQLite through
`manage.py backup_sqlite`, taken while another connection is writing. Each compares every
table's row count and contents, and a stored PDF's bytes by their hash."""

from __future__ import annotations

import hashlib
import io
import os
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tests.journey import advance
from treatments.models import Course, Document, State

ON_SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@pytest.fixture
def walked(
    course: Course, clinician: Any, nurse: Any, consent_form: Any, lot: Any, db: Any
) -> Course:
    """A course into maintenance, committed, with its consent and aftercare PDFs stored."""
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot)
    assert Document.objects.count() >= 2
    return course


def every_table(query: Callable[[str], Any], tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows (as text, sorted)."""
    found = {}
    for table in tables:
        # Table names from the database's own introspection, not from input.
        rows = sorted(repr(row) for row in query(f'SELECT * FROM "{table}"'))  # noqa: S608
        found[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def pdf_hashes(rows: Any) -> dict[int, str]:
    return {pk: hashlib.sha256(bytes(pdf)).hexdigest() for pk, pdf in rows}


# --- PostgreSQL ------------------------------------------------------------------------------


def every_pg_table(query: Callable[[str], Any], tables: list[str]) -> dict[str, tuple[int, str]]:
    """Each table's row count and an md5 of its rows' text, sorted, computed by the server (in
    UTC, so both sides write their timestamps alike)."""
    query("SET TIME ZONE 'UTC'")
    rows = "coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t::text)), '')"
    found = {}
    for table in tables:  # names from the database's own introspection, not from input
        count, digest = query(f'SELECT count(*), {rows} FROM "{table}" t')[0]  # noqa: S608
        found[table] = (count, digest)
    return found


def libpq_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


@pytest.fixture
def fresh_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pg_dump_restores_into_a_fresh_database_with_every_record(
    walked: Course, tmp_path: Path, fresh_database: str
) -> None:
    env = libpq_env()
    dump = tmp_path / "botoxcare.dump"
    source = str(connection.settings_dict["NAME"])
    # The commands of docs/OPERATIONS.md, as written there.
    dumping = ["pg_dump", "-Fc", "--no-owner", "-f", str(dump), source]
    restoring = ["pg_restore", "--no-owner", "--exit-on-error", "-d", fresh_database, str(dump)]
    for command in (dumping, restoring):  # the PostgreSQL client tools on PATH, our arguments
        subprocess.run(command, env=env, check=True)  # noqa: S603

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:

        def here(sql: str) -> Any:
            cursor.execute(sql)
            return cursor.fetchall() if cursor.description else None

        before = every_pg_table(here, tables)
        pdfs_before = pdf_hashes(here("SELECT id, pdf FROM treatments_document"))

    db = connection.settings_dict
    with psycopg.connect(
        dbname=fresh_database, host=db["HOST"], port=db["PORT"] or None, user=db["USER"]
    ) as restored:

        def there(sql: str) -> Any:
            found = restored.execute(sql)
            return found.fetchall() if found.description else None

        restored_tables = [
            name
            for (name,) in there(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        after = every_pg_table(there, tables)
        pdfs_after = pdf_hashes(there("SELECT id, pdf FROM treatments_document"))
        stored = dict(there("SELECT id, sha256 FROM treatments_document"))

    assert sorted(restored_tables) == sorted(tables)
    assert after == before
    assert sum(count for count, _ in after.values()) > 100  # a course's worth, not empty tables
    assert len(pdfs_after) >= 2
    assert pdfs_after == pdfs_before == stored  # the PDFs' bytes, whole


# --- SQLite ----------------------------------------------------------------------------------


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded SQLite only")
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_while_another_connection_writes(walked: Course, tmp_path: Path) -> None:
    live = Path(connection.settings_dict["NAME"])
    tables = connection.introspection.table_names()
    # Read as the copy is read: plain sqlite3, no Django converters.
    reader = sqlite3.connect(live)
    try:
        before = every_table(lambda sql: reader.execute(sql).fetchall(), tables)
        pdfs_before = pdf_hashes(reader.execute("SELECT id, pdf FROM treatments_document"))
    finally:
        reader.close()

    # Another worker in the middle of a write: the backup neither waits for it nor takes it.
    writer = sqlite3.connect(live, isolation_level=None, timeout=20)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO auth_group (name) VALUES ('uncommitted')")
    backup = tmp_path / "botoxcare-backup.sqlite3"
    out = io.StringIO()
    try:
        call_command("backup_sqlite", str(backup), stdout=out)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "integrity ok" in out.getvalue()
    assert not list(tmp_path.glob(".*partial"))

    copy = sqlite3.connect(backup)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one whole file
        after = every_table(lambda sql: copy.execute(sql).fetchall(), tables)
        pdfs_after = pdf_hashes(copy.execute("SELECT id, pdf FROM treatments_document"))
        stored = dict(copy.execute("SELECT id, sha256 FROM treatments_document").fetchall())
    finally:
        copy.close()
    assert after == before
    assert len(pdfs_after) >= 2
    assert pdfs_after == pdfs_before == stored


@pytest.mark.skipif(not ON_SQLITE, reason="the embedded SQLite only")
@pytest.mark.django_db
def test_sqlite_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    existing = tmp_path / "kept.sqlite3"
    existing.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup_sqlite", str(existing))
    assert existing.read_bytes() == b"an older backup"


@pytest.mark.skipif(ON_SQLITE, reason="on PostgreSQL")
@pytest.mark.django_db
def test_sqlite_backup_refuses_on_postgres(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("backup_sqlite", str(tmp_path / "x.sqlite3"))
