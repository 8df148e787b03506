"""Sign-in throttling and its log lines.

django-axes counts failed sign-ins per combination of `AXES_LOCKOUT_PARAMETERS` but holds
every combination to one limit. `SignInThrottle` gives each its own (`limit_for`): one username
from one address (`AXES_FAILURE_LIMIT`), one username from any address
(`SIGN_IN_FAILURE_LIMIT_PER_USERNAME`), one address across any usernames, which is password
spraying (`SIGN_IN_FAILURE_LIMIT_PER_ADDRESS`). Failures are counted over the cool-off window
and are not forgotten on a success.

Each failed sign-in and each refusal while paused is logged to `botoxcare.security` with a
keyed hash of the username (and the user id when it names an account) and the client's
address; never the password or the username itself.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .audit import log_action

log = logging.getLogger("botoxcare.security")

ACCOUNT = "account"  # the username's own counter, or the username's from one address
ADDRESS = "address"  # the address's counter across usernames (spraying)


def limit_for(parameter: str | Sequence[str]) -> int:
    """The failures allowed in the cool-off window for one lockout combination."""
    names = (parameter,) if isinstance(parameter, str) else tuple(parameter)
    if names == ("username",):
        return int(settings.SIGN_IN_FAILURE_LIMIT_PER_USERNAME)
    if names == ("ip_address",):
        return int(settings.SIGN_IN_FAILURE_LIMIT_PER_ADDRESS)
    return int(settings.AXES_FAILURE_LIMIT)


@dataclass(frozen=True)
class Counter:
    names: tuple[str, ...]
    failures: int
    limit: int

    @property
    def reached(self) -> bool:
        return self.failures >= self.limit

    @property
    def kind(self) -> str:
        return ADDRESS if "username" not in self.names else ACCOUNT


class SignInThrottle(AxesDatabaseHandler):
    """axes' database handler with a limit for each lockout combination."""

    def counters(self, request: HttpRequest, credentials: dict[str, Any] | None) -> list[Counter]:
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        found = []
        for parameter, rows in zip(parameters, attempts, strict=True):
            names = (parameter,) if isinstance(parameter, str) else tuple(parameter)
            failures = rows.aggregate(n=Sum("failures_since_start"))["n"] or 0
            found.append(Counter(names, failures, limit_for(parameter)))
        return found

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """axes locks at `get_failures() >= AXES_FAILURE_LIMIT`: report the counter nearest
        its own limit, shifted onto that scale, so that any counter at its limit locks."""
        headroom = min(c.limit - c.failures for c in self.counters(request, credentials))
        return int(settings.AXES_FAILURE_LIMIT) - headroom


def username_hash(username: str | None) -> str:
    """Identifies one username across log lines without writing it (nor anything a
    dictionary of likely usernames would reverse without the secret key)."""
    if not username:
        return "-"
    return salted_hmac("botoxcare.security.username", username).hexdigest()[:16]


def _account(username: str | None) -> Any:
    """The account the username names, or None."""
    return get_user_model().objects.filter(username=username).first() if username else None


def _who(username: str | None, account: Any) -> str:
    user_id = account.pk if account is not None else "-"
    return f"user_id={user_id} username_hash={username_hash(username)}"


def _address(request: HttpRequest | None) -> str:
    return str(getattr(request, "axes_ip_address", None) or "-")


def sign_in_failed_log(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """`user_login_failed`, after axes has counted it: who was tried, from where."""
    username = get_client_username(request, credentials) if request else None
    paused = bool(getattr(request, "axes_locked_out", False))
    account = _account(username)  # one lookup for the audit event and the log line
    log_action(
        "auth.sign_in_failed",
        user=account,
        address=getattr(request, "axes_ip_address", None),
        data={"username_hash": username_hash(username), "paused": paused},
    )
    log.warning(
        "sign-in failed: %s address=%s paused=%s",
        _who(username, account),
        _address(request),
        "yes" if paused else "no",
    )


def sign_in_locked_log(
    sender: Any,
    request: HttpRequest | None = None,
    username: str | None = None,
    ip_address: str | None = None,
    **kwargs: Any,
) -> None:
    """axes' `user_locked_out`: sent when a counter reaches its limit and at each refusal
    while it is held."""
    counters = SignInThrottle().counters(request, None) if request else []
    by = ",".join(sorted({c.kind for c in counters if c.reached})) or "-"
    account = _account(username)
    log_action(
        "auth.sign_in_paused",
        user=account,
        address=ip_address or getattr(request, "axes_ip_address", None),
        data={"username_hash": username_hash(username), "by": by},
    )
    log.warning(
        "sign-in paused: %s address=%s by=%s",
        _who(username, account),
        ip_address or _address(request),
        by,
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of signing in: which pause, and when to try again (each
    further attempt starts the wait again, since axes counts it)."""
    counters = SignInThrottle().counters(request, credentials)
    kinds = {c.kind for c in counters if c.reached}
    cooloff: timedelta = settings.AXES_COOLOFF_TIME
    started: datetime = getattr(request, "axes_attempt_time", None) or timezone.now()
    return render(
        request,
        settings.AXES_LOCKOUT_TEMPLATE,
        {
            "by_account": ACCOUNT in kinds or not kinds,
            "by_address": ADDRESS in kinds,
            "minutes": int(cooloff.total_seconds() // 60),
            "retry_at": timezone.localtime(started + cooloff),
        },
        status=getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429),  # set by axes.conf
    )


def username_paused(*, username: str, now: datetime | None = None) -> bool:
    """Whether signing in as `username` is paused by its own counters (from any address, or
    from one), as `SignInThrottle` judges them; a paused address is not the account's."""
    now = now or timezone.now()
    rows = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    )
    per_address = list(
        rows.values("ip_address")
        .annotate(n=Sum("failures_since_start"))
        .values_list("n", flat=True)
        .order_by()
    )
    return sum(per_address) >= limit_for("username") or any(
        n >= limit_for(["username", "ip_address"]) for n in per_address
    )


def signed_in_log(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Django's `user_logged_in`."""
    log_action("auth.signed_in", user=user, address=_client(request))


def signed_out_log(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """Django's `user_logged_out` (also when a session limit signs someone out)."""
    if user is not None:
        log_action("auth.signed_out", user=user, address=_client(request))


def _client(request: HttpRequest | None) -> str | None:
    from .client_ip import client_ip

    return client_ip(request) if request is not None else None
