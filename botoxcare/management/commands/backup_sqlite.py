"""An online backup of the embedded SQLite database (docs/OPERATIONS.md, "Backups").

SQLite's backup API (Python's sqlite3.Connection.backup) copies a consistent snapshot, page by
page, while the app keeps serving: what was committed when the copy began, never half a
transaction. Copying the file with cp while gunicorn runs can catch a write half done, and
misses what still sits in the -wal file. The copy is checked (PRAGMA integrity_check) before it
takes its name, so a file of that name is always a whole, checked backup.

Everything is in it: every record and every stored PDF (treatments' Document keeps its bytes in
the database; nothing is written to a media folder).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection


class Command(BaseCommand):
    help = "Copy the embedded SQLite database, while it runs, to FILE (checked, then renamed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="where the backup goes (must not exist)")

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if connection.vendor != "sqlite":
            raise CommandError(
                "This database is not SQLite: back PostgreSQL up with pg_dump -Fc "
                "(docs/OPERATIONS.md)."
            )
        if file.exists():
            raise CommandError(f"{file} exists already: give a new name.")
        if not file.parent.is_dir():
            raise CommandError(f"No folder {file.parent}.")
        partial = file.with_name(f".{file.name}.partial")
        partial.unlink(missing_ok=True)
        connection.ensure_connection()
        source = connection.connection
        try:
            with sqlite3.connect(partial) as target:
                source.backup(target)
                # The copy need not read from a -wal file: one self-contained file.
                target.execute("PRAGMA journal_mode=DELETE")
                (verdict,) = target.execute("PRAGMA integrity_check").fetchone()
                tables = target.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                ).fetchone()[0]
            target.close()
            if verdict != "ok":
                raise CommandError(f"The copy failed its integrity check: {verdict}")
            partial.rename(file)
        finally:
            partial.unlink(missing_ok=True)
        size = file.stat().st_size
        self.stdout.write(f"Backed up to {file}: {tables} tables, {size:,} bytes, integrity ok.")
