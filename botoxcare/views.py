from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from .redirects import same_site_back


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


def admin_sign_in(request: HttpRequest) -> HttpResponse:
    """Where /admin/ sends someone who may not see it: the app's sign-in (then the two-factor
    code, which the middleware requires of every operator), never /admin/'s own form."""
    return redirect_to_login(same_site_back(request) or reverse("admin:index"))
