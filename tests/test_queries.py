"""List pages and the patient page keep a constant number of queries as data grows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from treatments.models import Course, State

from .factories import PatientFactory
from .journey import advance

pytestmark = pytest.mark.django_db


def count(client, path):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_patient_list_queries_do_not_grow(
    client_for, clinic, clinician, nurse, consent_form, lot, django_assert_max_num_queries
):
    client = client_for(clinician)
    for _ in range(3):
        advance(
            Course.objects.get(patient=PatientFactory(clinic=clinic)),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    few = count(client, reverse("staff:patients"))
    for _ in range(30):
        advance(
            Course.objects.get(
                patient=PatientFactory(clinic=clinic, responsible_clinician=clinician)
            ),
            State.MAINTENANCE,
            clinician=clinician,
            nurse=nurse,
            lot=lot,
        )
    with django_assert_max_num_queries(few):
        response = client.get(reverse("staff:patients"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 25
    client.post(reverse("staff:patients"), {"q": "", "state": "maintenance"})
    with django_assert_max_num_queries(few):
        response = client.get(reverse("staff:patients") + "?page=2")
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 33 - 25


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
