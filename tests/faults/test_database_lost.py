"""PostgreSQL lost in the middle of a request, on the app served by gunicorn: the request's
database connection is ended (pg_terminate_backend, what a server restart does to every
connection) after it wrote its first row and before it committed."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from botoxcare.models import AuditEvent
from botoxcare.roles import Role
from patients.models import Patient
from tests.factories import make_staff

from .http import Answer, Visitor
from .processes import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.postgres]

REGISTRATION = {
    "identifier": "H900077",
    "first_name": "Ines",
    "last_name": "Okafor",
    "date_of_birth": "1979-03-04",
    "phone": "07700 900456",
    "preferred_channel": "phone",
}


def _side_connection() -> psycopg.Connection[Any]:
    """A second connection to the test database, as an operator's psql would be."""
    cfg = connection.settings_dict
    return psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"] or "postgres",
        dbname=cfg["NAME"],
    )


def _waiting_backend(side: psycopg.Connection[Any]) -> int | None:
    """The app's connection waiting on a lock in this test's database, if one is."""
    row = side.execute(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
    ).fetchone()
    return row[0] if row else None


def test_a_request_whose_connection_dies_rolls_back_shows_the_error_page_and_the_next_works(
    processes, clinic
):
    receptionist = make_staff(clinic, Role.RECEPTIONIST)
    _, base = processes["web"]()
    visitor = Visitor(base)
    visitor.sign_in(receptionist)
    path = reverse("staff:register")
    data = {
        **REGISTRATION,
        "referred_on": timezone.localdate().isoformat(),
        "form_token": visitor.form_token(path),
    }
    audit_before = AuditEvent.objects.count()

    side = _side_connection()
    answers: list[Answer] = []
    try:
        # Hold the audit table: the registration writes its patient, then waits at its audit
        # row, inside its transaction, until the connection is ended under it.
        side.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN EXCLUSIVE MODE")
        sending = threading.Thread(target=lambda: answers.append(visitor.post(path, data)))
        sending.start()
        pid = wait_for(lambda: _waiting_backend(side), 30)
        wrote = side.execute(
            "SELECT 1 FROM pg_locks WHERE pid = %s AND relation = %s::regclass"
            " AND mode = 'RowExclusiveLock'",
            (pid, Patient._meta.db_table),
        ).fetchone()
        assert wrote, "the request had not written its patient when it was cut off"
        side.execute("SELECT pg_terminate_backend(%s)", (pid,))
        side.rollback()
        sending.join(60)
    finally:
        side.close()

    [answer] = answers
    assert answer.status == 500
    assert "Something went wrong" in answer.body
    for leak in ("Traceback", "psycopg", "Okafor", "H900077", "terminat"):
        assert leak not in answer.body
    # Nothing half-written: the patient's row went with the transaction, and no audit row.
    assert not Patient.objects.filter(identifier="H900077").exists()
    assert AuditEvent.objects.count() == audit_before

    # The next request gets a working connection, and the same registration goes through.
    again = visitor.post(path, {**data, "form_token": visitor.form_token(path)})
    assert again.status == 302, again.body[:500]
    assert Patient.objects.filter(identifier="H900077").count() == 1
