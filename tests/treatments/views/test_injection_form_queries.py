"""The injection session's form makes the same number of queries whatever the course's
history: a re-treatment after one session and after four (issue 11). The last session's doses
come from the course's prefetched sessions, not a query of their own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import PatientFactory
from tests.journey import advance
from tests.web import url
from treatments import services
from treatments.models import Course, PreventiveTreatment, State
from treatments.walk.plan import PREVENTIVES_FAILED

pytestmark = pytest.mark.django_db

# With the four every staff page makes (session, user, two-factor device, staff profile with
# clinic and roles) and the audit event's insert.
FORM_QUERIES = 19


def form_queries(client, patient) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url("injection", patient))
    assert response.status_code == 200
    assert "Rows start at the last session" in response.content.decode()
    return len(ctx.captured_queries)


def retreatment(course, day, *, clinician):
    services.retreatment_start(
        course=course,
        by=clinician,
        reviewed_on=day,
        notes="ok",
        now=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
    )


def test_the_form_costs_the_same_after_one_session_or_four(
    client_for, clinician, nurse, patient, lot, consent_form
):
    client = client_for(clinician)
    course = Course.objects.get(patient=patient)
    today = timezone.localdate()
    start = today - timedelta(weeks=40)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    retreatment(course, today, clinician=clinician)
    short = form_queries(client, patient)

    other = PatientFactory(clinic=patient.clinic, responsible_clinician=clinician)
    PreventiveTreatment.objects.bulk_create(
        PreventiveTreatment(patient=other, added_by=clinician, added_at=timezone.now(), **p)
        for p in PREVENTIVES_FAILED
    )
    long_course = Course.objects.get(patient=other)
    advance(long_course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    for n in range(1, 4):
        day = start + timedelta(weeks=10 * n)
        retreatment(long_course, day, clinician=clinician)
        advance(
            long_course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=day
        )
    retreatment(long_course, today, clinician=clinician)
    assert long_course.sessions.count() == 4

    assert form_queries(client, other) == short
    assert short <= FORM_QUERIES
