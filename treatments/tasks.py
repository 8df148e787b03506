"""Celery tasks: thin, safe to run twice; the work is in services."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def reminders_sweep() -> int:
    return services.reminder_sweep()
