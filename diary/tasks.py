"""Celery tasks of the diary: thin, safe to run twice; the work is in the modules they call.
The standing's tasks live beside the service that queues them and are re-exported here for
the worker and beat."""

from celery import shared_task

from .nudges import diary_nudges_schedule
from .services.standing import (
    diary_standing_refresh_task,
    diary_standings_refresh_task,
    diary_standings_sweep_task,
)

__all__ = [
    "diary_nudges",
    "diary_standing_refresh_task",
    "diary_standings_refresh_task",
    "diary_standings_sweep_task",
]


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def diary_nudges() -> int:
    return diary_nudges_schedule()
