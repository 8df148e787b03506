from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


def healthz(request: HttpRequest) -> HttpResponse:
    """A trivial view: liveness for the load balancer and the benchmark's baseline."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def after_login(request: HttpRequest) -> HttpResponse:
    if hasattr(request.user, "staff_profile"):
        return redirect("staff:patients")
    if hasattr(request.user, "patient"):
        return redirect("portal:home")
    if request.user.is_staff:  # the deployment's operators: Django's /admin/ only
        return redirect("admin:index")
    return redirect("public:home")
