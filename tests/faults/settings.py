"""Settings for the processes a fault test starts (gunicorn, Celery workers): the app's own,
on the test database and Redis the test passes in the environment, with texts recorded."""

from botoxcare.settings import *  # noqa: F403

# The test's users are made with the test suite's hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SMS_BACKEND = "tests.faults.recording.RecordingSMSBackend"
