"""Two people pressing the same button at once: exactly one success. On PostgreSQL the course
row is locked; on SQLite each transaction takes the write lock when it begins."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from botoxcare.errors import DomainError
from tests.journey import consultation_kwargs
from treatments import services
from treatments.models import Course, CourseTransition, State

pytestmark = pytest.mark.django_db(transaction=True)


def race(n: int, action) -> tuple[int, int]:
    barrier = threading.Barrier(n)
    outcomes: list[str] = []

    def run() -> None:
        barrier.wait()
        try:
            action()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes.count("ok"), outcomes.count("refused")


def test_concurrent_complete_evaluation_succeeds_once(course, clinician):
    services.consultation_record(course=course, by=clinician, **consultation_kwargs())
    ok, refused = race(
        4,
        lambda: services.course_transition(
            course=Course.objects.get(pk=course.pk), name="complete_evaluation", by=clinician
        ),
    )
    assert (ok, refused) == (1, 3)
    assert CourseTransition.objects.filter(course=course).count() == 1
    course.refresh_from_db()
    assert course.state == State.CONSENT


def test_concurrent_discontinue_succeeds_once(course, clinician):
    ok, refused = race(
        3,
        lambda: services.course_discontinue(
            course=Course.objects.get(pk=course.pk), by=clinician, reason="patient_choice"
        ),
    )
    assert (ok, refused) == (1, 2)
    assert CourseTransition.objects.filter(course=course, name="discontinue").count() == 1
