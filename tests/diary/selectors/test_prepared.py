"""A prepared query (`diary.prepared`) answers as its queryset would, with each call's values
in its markers' places, compiled once; the diary's figure query is compiled once a shape."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, Sum

from diary import window_counts
from diary.models import DiaryEntry
from diary.periods import Window
from diary.prepared import Marker, PreparedQuery
from diary.selectors import window_figures
from tests.diary.factories import entry, fill

pytestmark = pytest.mark.django_db

START = date(2026, 3, 1)


def grouped(patient_id, first, last):
    return (
        DiaryEntry.objects.filter(patient_id=patient_id, day__gte=first, day__lte=last)
        .annotate(long=ExpressionWrapper(Q(duration_hours__gte=5), output_field=BooleanField()))
        .order_by()
        .values("long")
        .annotate(days=Count("pk"), hours=Sum("duration_hours"))
        .order_by("long")
    )


@pytest.fixture
def prepared():
    day = DiaryEntry._meta.get_field("day")
    patient = DiaryEntry._meta.get_field("patient").target_field
    return PreparedQuery.of(
        grouped(Marker("patient", patient), Marker("first", day), Marker("last", day))
    )


def test_rows_are_the_querysets_with_the_values_given(patient, prepared, django_assert_num_queries):
    fill(patient, START, 3, hours="2.5")
    fill(patient, START + timedelta(days=3), 4, hours="7.3")
    entry(patient, START + timedelta(days=20), hours=9)
    for first, last in [
        (START, START + timedelta(days=9)),
        (START + timedelta(days=5), START + timedelta(days=30)),
    ]:
        with django_assert_num_queries(1):
            rows = prepared.rows({"patient": patient.pk, "first": first, "last": last})
        assert rows == list(grouped(patient.pk, first, last))
    assert prepared.rows({"patient": patient.pk, "first": START, "last": START}) == [
        {"long": False, "days": 1, "hours": Decimal("2.5")}
    ]
    assert prepared.rows({"patient": patient.pk + 1, "first": START, "last": START}) == []


def test_every_marker_needs_a_value(patient, prepared):
    with pytest.raises(KeyError, match="last"):
        prepared.rows({"patient": patient.pk, "first": START})


def test_the_figure_query_is_compiled_once_a_shape(patient, clinic, monkeypatch):
    rules = clinic.settings
    fill(patient, START, 10, hours=5)
    compiled = []
    of = PreparedQuery.of
    monkeypatch.setattr(PreparedQuery, "of", lambda qs: compiled.append(qs) or of(qs))
    window_counts._query.cache_clear()
    one = [Window(START, START + timedelta(days=4))]
    two = [Window(START + timedelta(days=5), START + timedelta(days=9)), *one]

    def headache_days(windows):
        return [
            f.headache_days for f in window_figures(patient=patient, rules=rules, windows=windows)
        ]

    assert headache_days(one) == headache_days(one) == [5]
    assert len(compiled) == 1
    assert headache_days(two) == [5, 5]
    assert len(compiled) == 2
    rules.headache_day_min_hours = 6  # another definition, another query
    assert headache_days(one) == [0]
    assert len(compiled) == 3
