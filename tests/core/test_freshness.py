"""The clinic's change counter and the figures kept by it (`botoxcare.freshness`): re-used
until a change of the clinic (written through `log_action`), never after a look, counted
again after the commit, after their seconds, and computed each time when the cache fails."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from botoxcare import freshness
from botoxcare.audit import log_action
from botoxcare.freshness import clinic_generation, is_counter_callback, kept

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> dict[str, int]:
        self.calls += 1
        return {"n": self.calls}


def keep(clinic_id: int, compute: Counter, seconds: int = 30) -> dict[str, int]:
    return kept("k", clinic_id=clinic_id, seconds=seconds, compute=compute, load=dict)


def test_a_figure_is_reused_until_the_clinic_changes(clinic, other_clinic):
    compute = Counter()
    assert keep(clinic.pk, compute) == {"n": 1}
    assert keep(clinic.pk, compute) == {"n": 1}
    log_action("patient.viewed", clinic=clinic, looked=True)  # a look changes nothing
    assert keep(clinic.pk, compute) == {"n": 1}
    log_action("contact.corrected", clinic=other_clinic)  # another clinic's change
    assert keep(clinic.pk, compute) == {"n": 1}
    log_action("contact.corrected", clinic=clinic)
    assert keep(clinic.pk, compute) == {"n": 2}
    assert compute.calls == 2


@pytest.mark.django_db(transaction=True)
def test_a_figure_counted_before_the_commit_is_not_kept_after_it(clinic):
    compute = Counter()
    with transaction.atomic():
        log_action("visit.booked", clinic=clinic)
        log_action("reminder.created", clinic=clinic)  # the counter moves once after commit
        # Another request counts now, from the rows as they were before this commit.
        assert keep(clinic.pk, compute) == {"n": 1}
        after_commit = [c for _s, c, *_r in transaction.get_connection().run_on_commit]
        assert len([c for c in after_commit if is_counter_callback(c)]) == 1
    assert keep(clinic.pk, compute) == {"n": 2}


def test_a_figure_is_counted_again_after_its_seconds(clinic):
    compute = Counter()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        keep(clinic.pk, compute, seconds=30)
        clock.move_to(start + timedelta(seconds=29))
        assert keep(clinic.pk, compute, seconds=30) == {"n": 1}
        clock.move_to(start + timedelta(seconds=31))
        assert keep(clinic.pk, compute, seconds=30) == {"n": 2}


def test_a_lost_counter_starts_again_above_any_number_used(clinic):
    before = clinic_generation(clinic.pk)
    assert before is not None
    cache.delete(f"clinic-generation:{clinic.pk}")
    after = clinic_generation(clinic.pk)
    assert after is not None and after > before


def test_a_failing_cache_computes_each_time_and_never_fails_the_caller(clinic, caplog):
    compute = Counter()
    with (
        mock.patch.object(cache, "get", side_effect=ConnectionError("down")),
        mock.patch.object(cache, "set", side_effect=ConnectionError("down")),
    ):
        assert keep(clinic.pk, compute) == {"n": 1}
        assert keep(clinic.pk, compute) == {"n": 2}
        log_action("visit.booked", clinic=clinic)  # the change is stored all the same
    assert "cache unavailable" in caplog.text


def test_after_a_failure_the_cache_rests_before_it_is_tried_again(clinic, monkeypatch):
    """An outage costs one timeout now and then, not one on every request and change."""
    compute = Counter()
    with mock.patch.object(cache, "get", side_effect=ConnectionError("down")) as get:
        keep(clinic.pk, compute)
        tried = get.call_count
        keep(clinic.pk, compute)
        log_action("visit.booked", clinic=clinic)
        assert get.call_count == tried == 1
        monkeypatch.setattr(freshness, "_resting_until", 0.0)  # its seconds have passed
        keep(clinic.pk, compute)
        assert get.call_count == 2
    assert compute.calls == 3
