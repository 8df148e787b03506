"""Two small middlewares: session limits (signed out when idle too long, or signed in too
long), and the headers that keep patient data out of caches and unused browser features off."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

from .staff_identity import staff_identity_load

Handler = Callable[[HttpRequest], HttpResponse]

SEEN = "_seen_at"  # when the session was last used (seconds since the epoch)
SINCE = "_signed_in_at"  # when it began
# The last-seen time is written at most this often, so that a page full of requests does not
# write the session each time; the idle limit is minutes long, so this costs no precision.
TOUCH_SECONDS = 30


def session_limits_for(user: Any) -> tuple[int, int | None]:
    """(idle seconds, absolute seconds or None) for this user: staff and operators by the staff
    limits, patients by the patients' idle limit. The staff profile, its clinic and the roles
    are read here, in one query, for the rest of the request."""
    if staff_identity_load(user) is not None or user.is_staff or user.is_superuser:
        return settings.STAFF_IDLE_MINUTES * 60, settings.STAFF_SESSION_HOURS * 3600
    return settings.PATIENT_IDLE_MINUTES * 60, None


def session_start(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """On sign-in (Django's user_logged_in signal): the session's clocks start now."""
    if request is not None and hasattr(request, "session"):
        request.session[SINCE] = request.session[SEEN] = time.time()


def session_limits(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            session = request.session
            idle, longest = session_limits_for(user)
            seen, since = session.get(SEEN), session.get(SINCE)
            if since is None:
                session[SINCE] = since = now
            if (seen is not None and now - seen > idle) or (
                longest is not None and now - since > longest
            ):
                logout(request)
                messages.info(request, "You were signed out after a while without activity.")
                return redirect_to_login(request.get_full_path())
            if seen is None or now - seen > TOUCH_SECONDS:
                session[SEEN] = now
        return get_response(request)

    return middleware


def privacy_headers(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.user.is_authenticated:
            # Pages for a signed-in user may show patient data: never stored by the browser or
            # a proxy (downloads too: a PDF or CSV stays on the clinic's side).
            response["Cache-Control"] = "no-store, private"
        return response

    return middleware
