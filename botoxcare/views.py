from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from . import health
from .redirects import same_site_back


def healthz(request: HttpRequest) -> HttpResponse:
    """For monitors and the container's healthcheck: 200 when the database and the broker (if
    one is configured) answer, 503 when either does not; the JSON says which. Open to anyone,
    so it says nothing else (the backlog figures are `manage.py ops_status`'s)."""
    found = health.checks()
    healthy = all(check.ok for check in found)
    body = {"status": "ok" if healthy else "failing"} | {c.name: c.state for c in found}
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "staff_profile"):
        return redirect("staff:patients")
    if hasattr(request.user, "patient"):
        return redirect("portal:home")
    if request.user.is_staff:  # the deployment's operators: Django's /admin/ only
        return redirect("admin:index")
    return redirect("public:home")


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Where /admin/ sends someone who may not see it: the app's sign-in (then the two-factor
    code, which the middleware requires of every operator), never /admin/'s own form."""
    return redirect_to_login(same_site_back(request) or reverse("admin:index"))
