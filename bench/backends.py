"""The bench's databases, on SQLite (the default) or on PostgreSQL (DATABASE_URL=postgres://...).

SQLite: bench/bench-<patients>.sqlite3, one file a clinic size (git-ignored), never db.sqlite3.
PostgreSQL: the server and user of DATABASE_URL, but always a database of the bench's own, one a
clinic size, bench_<patients> (created when missing, dropped and created again to reseed); the
database named in the URL is only where the bench connects to create them, and a name that is
not bench_<digits> is refused here, so that no reseed ever drops `test`, `test_*` or anything
else.
"""

from __future__ import annotations

import os
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

BENCH_DIR = Path(__file__).resolve().parent
BENCH_NAME = re.compile(r"bench_\d+")


@dataclass(frozen=True)
class Backend:
    """Where the bench keeps its clinics: `url` is the DATABASE_URL the bench was started
    with (empty for SQLite)."""

    url: str = ""

    @classmethod
    def from_environment(cls) -> Backend:
        url = os.environ.get("DATABASE_URL", "")
        return cls(url if url.startswith(("postgres://", "postgresql://")) else "")

    @property
    def postgres(self) -> bool:
        return bool(self.url)

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.postgres else "SQLite"

    def name(self, patients: int) -> str:
        """The database (PostgreSQL) or file (SQLite) of a clinic size."""
        if self.postgres:
            return f"bench_{patients}"
        return str(BENCH_DIR / f"bench-{patients}.sqlite3")

    def shown(self, patients: int) -> str:
        if self.postgres:
            parts = urllib.parse.urlsplit(self.url)
            return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{self.name(patients)}"
        return str(Path(self.name(patients)).relative_to(BENCH_DIR.parent))

    def database_url(self, patients: int) -> str:
        """The DATABASE_URL of a clinic size's database."""
        if not self.postgres:
            return f"sqlite:///{self.name(patients)}"  # absolute: sqlite:////...
        parts = urllib.parse.urlsplit(self.url)
        return urllib.parse.urlunsplit(parts._replace(path=f"/{self.name(patients)}"))

    # --- the connection ---------------------------------------------------------------------

    def use(self, patients: int) -> None:
        """Switch Django's default connection to a clinic size's database."""
        from django.db import connection

        connection.close()
        connection.settings_dict["NAME"] = self.name(patients)

    def exists(self, patients: int) -> bool:
        if not self.postgres:
            return Path(self.name(patients)).exists()
        with self._server() as server:
            found = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.name(patients)]
            ).fetchone()
        return found is not None

    def recreate(self, patients: int) -> None:
        """An empty database for a clinic size (migrated by the caller)."""
        from django.db import connection

        connection.close()
        name = self.name(patients)
        if not self.postgres:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{name}{suffix}").unlink(missing_ok=True)
            return
        if not BENCH_NAME.fullmatch(name):  # never anyone else's database
            raise ValueError(f"refusing to drop {name!r}: not a bench database")
        with self._server() as server:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.execute(f'CREATE DATABASE "{name}"')

    def _server(self) -> psycopg.Connection[tuple[object, ...]]:
        """An autocommit connection to the server's maintenance database (CREATE and DROP
        DATABASE cannot run in a transaction)."""
        import psycopg

        parts = urllib.parse.urlsplit(self.url)
        return psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=urllib.parse.unquote(parts.username or "postgres"),
            password=urllib.parse.unquote(parts.password or "") or None,
            dbname="postgres",
            autocommit=True,
        )

    # --- seeding ----------------------------------------------------------------------------

    def before_seed(self) -> None:
        """A throwaway database: no need to survive a power cut while it is being filled."""
        from django.db import connection

        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET synchronous_commit = off")
            else:
                cursor.execute("PRAGMA synchronous = OFF")

    def after_seed(self) -> None:
        """Planner statistics, as a maintained production database has them (PostgreSQL's
        VACUUM also sets the visibility map that index-only scans read)."""
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if self.postgres else "ANALYZE")

    def version(self) -> str:
        from django.db import connection

        if not self.postgres:
            return f"SQLite {connection.Database.sqlite_version}"  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            (server,) = cursor.fetchone()
            cursor.execute("SHOW jit")
            (jit,) = cursor.fetchone()
        return f"PostgreSQL {server.split()[0]} (jit {jit})"
