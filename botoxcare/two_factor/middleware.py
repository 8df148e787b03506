"""Every page needs the code of this sign-in, for those who must give one.

After django-otp's `OTPMiddleware` (which marks the session's user verified when a code was
entered in it): a signed-in person for whom two-factor sign-in is required
(`rules.two_factor_required`) and who has not entered a code in this session is sent to set
it up (no device yet: their first sign-in, or after a reset) or to enter a code, from every
page except the two-factor pages, signing in and out, static files and the health check.
`/admin/` is one of those pages: its operators are held to it as staff are.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from .rules import is_enrolled, is_verified, two_factor_required
from .views import page_with_next

OPEN_VIEWS = {"login", "logout", "healthz"}
OPEN_NAMESPACES = {"two_factor"}


class TwoFactorRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or is_verified(user):
            return None
        match = request.resolver_match
        if match is not None and (
            match.url_name in OPEN_VIEWS or set(match.namespaces) & OPEN_NAMESPACES
        ):
            return None
        if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        if not two_factor_required(user):
            return None
        back = request.get_full_path() if request.method == "GET" else ""
        page = page_with_next(
            "two_factor:verify" if is_enrolled(user) else "two_factor:enrol", back
        )
        if request.headers.get("HX-Request"):
            # htmx would follow a redirect inside the page's fragment; this makes it load the
            # whole page instead.
            response = HttpResponse(status=200)
            response["HX-Redirect"] = page
            return response
        return redirect(page)
