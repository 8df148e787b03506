"""Settings for the test suite: the app's own, plus what only tests want."""

import os

from botoxcare.settings import *  # noqa: F403
from botoxcare.settings import BASE_DIR, DATABASES, REDIS_URL

# Users are created by the hundred in tests; PBKDF2's deliberate slowness is for real logins.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Tests use a file too: an in-memory database shares one cache between threads, with
    # table locks that ignore the timeout, unlike the file the app runs on.
    # One file per test process, so two runs in one checkout do not delete each other's.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}

# Tasks run where they are queued: a test sees the work a task does (a document rendered after
# commit) without a worker. The one test of a real worker on Redis turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True

# Each process's own cache, even with REDIS_URL (CI): tests clear it between tests, and on Redis
# that would empty the database the broker's queues live in.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Run in parallel (pytest-xdist), each test process queues on a Redis database of its own, so
# that one process's worker never takes another's tasks (pytest-django gives each its own test
# database the same way). PYTEST_XDIST_WORKER is gw0, gw1, ...
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _xdist_worker.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{1 + int(_xdist_worker[2:])}"))
    CELERY_BROKER_URL = REDIS_URL
