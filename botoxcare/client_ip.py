"""The client's address, for the sign-in lockout: behind N trusted proxies it is the Nth
address from the right of X-Forwarded-For; with none, the connection's own address."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    # Each proxy appends the address it received the request from; the last `proxies`
    # entries are trustworthy, the one before them is the client as our outermost proxy saw it.
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
