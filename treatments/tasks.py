"""Celery tasks: thin, safe to run twice; the work is in services."""

from celery import shared_task

from . import services
from .services.documents import document_make_task, documents_missing_make_task

__all__ = ["document_make_task", "documents_missing_make_task", "reminders_sweep"]


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def reminders_sweep() -> int:
    return services.reminder_sweep()
