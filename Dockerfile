# BotoxCare: one image for web (gunicorn), Celery worker and Celery beat.
# Plain Dockerfile syntax only (no BuildKit-only features), so the legacy builder used by
# docker-compose 1.29 can build it as well as `docker build` / `docker compose build`.
FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PYTHON=/usr/local/bin/python3.11 \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH="/app/.venv/bin:${PATH}" \
    BOTOXCARE_ENV=production

# Shared libraries WeasyPrint needs for PDF rendering (not a dependency yet; harmless now).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN pip install --no-cache-dir uv==0.13.9

# The process runs as this unprivileged user; the code stays owned by root (read-only to it).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home \
        --home-dir /nonexistent --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, from the lock file only, so this layer is reused until uv.lock changes.
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .

# Static files are collected into the image (served by WhiteNoise). The SECRET_KEY and
# ALLOWED_HOSTS here are throwaway values that exist only for this command; the real ones come
# from the environment at run time.
RUN BOTOXCARE_ENV=production \
    SECRET_KEY=build-only-collectstatic-key-not-used-at-run-time-0123456789abcdef \
    ALLOWED_HOSTS=build.invalid \
    python manage.py collectstatic --noinput

USER 10001:10001

EXPOSE 8000

# gunicorn.conf.py: workers, timeouts, the access log without query strings (docs/OPERATIONS.md).
CMD ["gunicorn", "-c", "gunicorn.conf.py", "botoxcare.wsgi:application"]
