"""The project's settings with the bench's URLconf (bench/urls.py: /bench/floor), for the HTTP
bench's gunicorn (bench/http_bench.py). Never used by the app itself."""

from botoxcare.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
