"""Celery tasks of the diary: thin, safe to run twice; the work is in the modules they call."""

from celery import shared_task

from .nudges import diary_nudges_schedule


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def diary_nudges() -> int:
    return diary_nudges_schedule()
