"""gunicorn's settings for BotoxCare (docs/OPERATIONS.md, "The web process").

Read by `gunicorn -c gunicorn.conf.py botoxcare.wsgi:application`: the image's command (so
docker-compose.yml's web) and bin/run. Each value can be changed from the environment.
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers, one request each at a time, each with its one persistent database connection
# (CONN_MAX_AGE): 2 x cores + 1 by default, gunicorn's own advice for a CPU-bound Django app.
# WEB_CONCURRENCY (the name platforms set) or GUNICORN_WORKERS overrides it. Every worker holds
# a PostgreSQL connection: workers x web processes + Celery's must stay under max_connections.
# The cores this process may use (a container's CPU set, not the host's count).
_cores = len(os.sched_getaffinity(0))
workers = _int("GUNICORN_WORKERS", _int("WEB_CONCURRENCY", 2 * _cores + 1))
worker_class = "sync"

# A worker silent this long is killed and replaced (a request stuck on a hung database or a
# mail server). The slowest pages are PDFs (about 0.3 s) and CSV exports; 30 s is ample.
timeout = _int("GUNICORN_TIMEOUT", 30)
# On SIGTERM (docker stop, a deploy) workers finish the request in hand for up to this long.
# Docker waits 10 s before SIGKILL unless told otherwise: docker-compose.yml gives web 35 s.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Behind the reverse proxy's pooled connections; shorter than the proxy's idle timeout.
keepalive = _int("GUNICORN_KEEPALIVE", 5)

# Each worker is replaced after about this many requests (the jitter spreads the restarts so
# the workers do not all restart at once): a slow leak never grows without end.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# The heartbeat file in memory, not on the container's overlay disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# The access log: who, when, the method and the PATH ONLY, status, size, milliseconds. Never
# the query string (%(r)s, %(q)s: a search for a patient's name is ?q=<name>), the referrer
# (%(f)s: the previous page's query string) or the user agent.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# gunicorn >= 25.1 otherwise creates $HOME/.gunicorn/gunicorn.ctl, which the image's user has no
# home for; nothing here uses gunicornc.
control_socket_disable = True
