"""The schedules CSV: the filtered view, scoped to the clinic, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from botoxcare.spreadsheet import neutralised
from patients.models import ContactAttempt
from tests.factories import PatientFactory
from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db

URL = "/schedules/export.csv"


@pytest.fixture
def walk(clinic, clinician, nurse, lot, consent_form):
    def make(days_ago: int, **patient):
        p = PatientFactory(clinic=clinic, responsible_clinician=clinician, **patient)
        advance(
            Course.objects.get(patient=p),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
            start=timezone.localdate() - timedelta(days=days_ago),
        )
        return p

    return make


def export(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="schedules-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads the file as UTF-8
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+44 7700", "'+44 7700"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Smith", "Smith"),
        ("O'Brien", "O'Brien"),
        ("", ""),
    ],
)
def test_cells_that_start_a_formula_are_neutralised(value, expected):
    assert neutralised(value) == expected


def test_the_file_neutralises_names_and_leaves_out_notes(walk, client_for, nurse):
    p = walk(90, first_name="@Ann", last_name="=cmd|' /C calc'!A0", identifier="-H1")
    ContactAttempt.objects.create(
        patient=p,
        by=nurse,
        at=datetime(2026, 7, 5, 23, 30, tzinfo=ZoneInfo("Europe/London")),
        channel="phone",
        outcome="left_message",
        note="SECRET-NOTE about the headache",
    )
    rows = export(client_for(nurse))
    assert rows[0] == [
        "Identifier",
        "Name",
        "Clinician",
        "Last session",
        "Status",
        "Due date",
        "Next visit",
        "Last contact",
    ]
    (line,) = rows[1:]
    assert line[0] == "'-H1"
    assert line[1] == "'=cmd|' /C calc'!A0, @Ann"
    session = timezone.localdate() - timedelta(days=90)
    assert line[3] == session.isoformat()
    assert line[4] == "overdue by 6 days"
    assert line[5] == (session + timedelta(weeks=12)).isoformat()
    assert line[6] == "not booked"
    # The clinic's time zone (London, summer time), not UTC (22:30).
    assert line[7] == "2026-07-05 23:30 Phone call: Left a message"
    assert not any("SECRET-NOTE" in cell for row in rows for cell in row)


def test_the_export_is_the_filtered_view_and_scoped(walk, client_for, nurse, other_clinic):
    late = walk(90)
    open_ = walk(75)
    walk(20)
    theirs = PatientFactory(clinic=other_clinic)
    all_rows = export(client_for(nurse))[1:]
    assert len(all_rows) == 3
    assert theirs.identifier not in {row[0] for row in all_rows}
    assert [row[0] for row in export(client_for(nurse), "?status=overdue")[1:]] == [late.identifier]
    assert [row[0] for row in export(client_for(nurse), "?status=open_not_booked")[1:]] == [
        open_.identifier
    ]


def test_the_export_covers_every_page(walk, client_for, nurse, monkeypatch):
    from pages.staff.schedules import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 2)
    made = {walk(days).identifier for days in (71, 75, 80, 90, 95)}
    assert {row[0] for row in export(client_for(nurse))[1:]} == made


def test_another_clinics_staff_export_nothing_of_ours(walk, client_for, other_clinic):
    from botoxcare.roles import Role
    from tests.factories import make_staff

    walk(90)
    assert export(client_for(make_staff(other_clinic, Role.CLINICIAN))) == [
        [
            "Identifier",
            "Name",
            "Clinician",
            "Last session",
            "Status",
            "Due date",
            "Next visit",
            "Last contact",
        ]
    ]


def _export_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        export(client)  # reads the stream to its end, inside the context
    return len(ctx.captured_queries)


def test_the_export_reads_a_chunk_at_a_time_not_a_row(walk, client_for, nurse, monkeypatch):
    """Queries grow with the chunks, never with the rows inside one."""
    from pages.staff.schedules import views

    monkeypatch.setattr(views, "EXPORT_CHUNK", 3)
    client = client_for(nurse)
    for days in (71, 75):
        walk(days)
    one_chunk_of_two = _export_queries(client)
    walk(80)
    one_chunk_of_three = _export_queries(client)
    for days in (90, 95, 100):
        walk(days)
    two_chunks_of_three = _export_queries(client)
    assert one_chunk_of_three == one_chunk_of_two
    per_chunk = two_chunks_of_three - one_chunk_of_three
    assert 0 < per_chunk <= 5, per_chunk  # a page of ids, then the rows' few queries
