"""The staff patient page: a constant number of queries, whatever the number of cycles."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.journey import advance
from treatments.models import Course, State

pytestmark = pytest.mark.django_db


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_patient_page_queries_do_not_grow_with_cycles(
    client_for, patient, clinician, nurse, consent_form, lot, django_assert_max_num_queries
):
    from treatments import services

    client = client_for(clinician)
    course = Course.objects.get(patient=patient)
    start = timezone.localdate() - timedelta(weeks=40)
    advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=start)
    baseline = None
    for cycle in range(1, 5):
        day = start + timedelta(weeks=10 * cycle)
        services.retreatment_start(
            course=course,
            by=clinician,
            reviewed_on=day,
            notes="ok",
            now=timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time())),
        )
        advance(course, State.MAINTENANCE, clinician=clinician, nurse=nurse, lot=lot, start=day)
        if baseline is None:  # two cycles: every related list is non-empty from here on
            baseline = count(client, reverse("staff:patient", args=[patient.pk]))
    assert course.sessions.count() == 5
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("staff:patient", args=[patient.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("<strong>Injection session</strong>") == 5
    assert baseline <= 20
