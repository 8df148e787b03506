"""The Celery app. Workers and the single beat load their configuration from Django settings."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "botoxcare.settings")

app = Celery("botoxcare")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
