"""The warning before the idle sign-out (static/js/idle.js): how long this session has left
without activity, for the page to count down, and the ping of its "Stay signed in" button.

The limit itself is `middleware.session_limits`; this only reads the same clock. The ping is
activity (the middleware checks it like any request, and it marks the session seen now) but
shows and changes no one's data, so it writes no audit event.
"""

from __future__ import annotations

import math
import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_POST

from .middleware import SEEN, session_limits_for


def idle_seconds_left(request: HttpRequest) -> int | None:
    """Seconds until this session is signed out for inactivity (None when signed out), rounded
    up: the page must never reload before the server has signed the session out, or the
    reload would itself count as activity."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    idle, _longest = session_limits_for(user)
    seen = request.session.get(SEEN, time.time())
    return max(0, math.ceil(idle - (time.time() - seen)))


@require_POST
def session_ping(request: HttpRequest) -> HttpResponse:
    """The session stays: seen now (not only every TOUCH_SECONDS, as for a page). An expired
    session never gets here: the middleware has signed it out and redirected to sign-in."""
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False}, status=401)
    request.session[SEEN] = time.time()
    return JsonResponse({"signed_in": True, "seconds_left": idle_seconds_left(request)})
