"""The project's URLs plus /bench/floor, the empty signed-in staff page (as bench/run.py's
bench_urlconf() serves it in process), for the HTTP bench (bench/settings.py)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path

from botoxcare.roles import staff_required

FLOOR_URL = "/bench/floor"


@staff_required
def floor(request: HttpRequest) -> HttpResponse:
    """What every staff page pays (session, user, staff profile, clinic, roles, base.html)
    and nothing else."""
    return render(request, "base.html")


urlpatterns = [
    path(FLOOR_URL.lstrip("/"), floor),
    path("", include("botoxcare.urls")),  # the project's ROOT_URLCONF
]
