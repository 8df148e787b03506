"""Writing the audit trail (pretix's `log_action`, one call per change or look).

Services call `log_action` inside their transaction, so an event is stored exactly when the
change is; pages call `log_view` for what a person saw (a patient's page, a list, a
download). Who asked and from which address come from the request being served (set by
`audit_context`), so a service need not be handed the request; an explicit `user` wins.
`changes(before, after)` is the `data` of an edit: each changed field, old and new.
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.db import models
from django.http import HttpRequest, HttpResponse

from .client_ip import client_ip
from .freshness import clinic_changed
from .models.audit import AuditEvent

access_log = logging.getLogger("botoxcare.access")


@dataclass(frozen=True)
class Asker:
    user: Any
    address: str | None


_asker: contextvars.ContextVar[Asker | None] = contextvars.ContextVar("audit_asker", default=None)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: dates as ISO text (a moment in UTC, so the same moment is
    written the same way whichever zone it was read in), records as their id, NUL as U+FFFD."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).isoformat()
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Mapping):
        return {_plain(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, str):  # what was typed or asked for: PostgreSQL's JSON refuses NUL
        return value.replace("\x00", "\ufffd")
    if isinstance(value, int | float | bool) or value is None:
        return value
    return str(value)


def snapshot(record: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The record's concrete field values (foreign keys as ids), for `changes`."""
    names = fields or [f.attname for f in record._meta.concrete_fields]
    return {name: _plain(getattr(record, name)) for name in names}


def changes(
    before: Mapping[str, Any] | models.Model, after: Mapping[str, Any] | models.Model
) -> dict[str, list[Any]]:
    """Each field whose value differs: `{"field": [old, new]}`."""
    old = snapshot(before) if isinstance(before, models.Model) else _plain(dict(before))
    new = snapshot(after) if isinstance(after, models.Model) else _plain(dict(after))
    keys = sorted(set(old) | set(new))
    return {k: [old.get(k), new.get(k)] for k in keys if old.get(k) != new.get(k)}


def _clinic_id_of(user: Any) -> int | None:
    profile = getattr(user, "staff_profile", None) if user is not None else None
    return profile.clinic_id if profile is not None else None


def log_action(
    action: str,
    *,
    user: Any = None,
    patient: Any = None,
    clinic: Any = None,
    target: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
    address: str | None = None,
    looked: bool = False,
) -> AuditEvent:
    """Store one audit event. `patient` is a patient or its id; `clinic` defaults to the
    patient's clinic, then the user's; `target` is the record the event is about. An event
    that is not a look (`looked`, from `log_view`) is a change: the clinic's change counter
    moves (`botoxcare.freshness`), so figures kept from its rows are counted again."""
    asker = _asker.get()
    if user is None and asker is not None and getattr(asker.user, "is_authenticated", False):
        user = asker.user
    if user is not None and not getattr(user, "is_authenticated", True):
        user = None
    patient_id = getattr(patient, "pk", patient)
    clinic_id = getattr(clinic, "pk", clinic)
    if clinic_id is None and patient is not None and hasattr(patient, "clinic_id"):
        clinic_id = patient.clinic_id
    if clinic_id is None:
        clinic_id = _clinic_id_of(user)
    if not looked:
        clinic_changed(clinic_id)
    return AuditEvent.objects.create(
        action=action,
        user=user,
        clinic_id=clinic_id,
        patient_id=patient_id,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        address=address or (asker.address if asker is not None else None),
        data=_plain(dict(data or {})),
    )


def log_view(
    request: HttpRequest,
    action: str,
    *,
    patient: Any = None,
    target: models.Model | None = None,
    data: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """What the signed-in person of `request` saw (a page, a list, a download)."""
    return log_action(
        action,
        user=request.user,
        patient=patient,
        target=target,
        data=data,
        address=client_ip(request),
        looked=True,
    )


def audit_context(get_response: Callable[[HttpRequest], HttpResponse]) -> Any:
    """Middleware: who is asking and from where, for every event this request writes; then
    one access-log line with the user's id (the path without its query, which may hold a
    search's words)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        user = getattr(request, "user", None)
        token = _asker.set(Asker(user, client_ip(request)))
        try:
            response = get_response(request)
        finally:
            _asker.reset(token)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else "-"
        access_log.info(
            "%s %s %s user_id=%s ms=%d",
            request.method,
            request.path,
            response.status_code,
            user_id,
            (time.monotonic() - started) * 1000,
        )
        return response

    return middleware


def audited(action: str, *, patient: str | None = "pk") -> Callable[[Any], Any]:
    """A view decorator: each page it serves to a signed-in user (a GET answered 2xx) writes
    one `log_view` event. `patient` says whose data the page shows: the URL's `pk` (staff
    pages under /patients/<pk>/), `"self"` (a patient's own portal page), or None (the view
    sets `request.audit_patient` itself, or the page is a list: `request.audit_data` names
    the ids it showed). `request.audit_target` and `request.audit_data` add what was seen.
    Writes are audited by their services, so a POST here writes nothing more."""

    def decorate(view: Any) -> Any:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if (
                request.method in ("GET", "HEAD")
                and 200 <= response.status_code < 300
                and request.user.is_authenticated
            ):
                match = request.resolver_match
                log_view(
                    request,
                    action,
                    patient=_patient_shown(request, kwargs, patient),
                    target=getattr(request, "audit_target", None),
                    data={
                        "page": match.view_name if match else request.path,
                        **getattr(request, "audit_data", {}),
                    },
                )
            return response

        wrapper.audit_action = action  # type: ignore[attr-defined]  # read by the URL-conf test
        return wrapper

    return decorate


def _patient_shown(request: HttpRequest, kwargs: dict[str, Any], patient: str | None) -> Any:
    if patient == "self":
        return getattr(request.user, "patient", None)
    if patient is not None:
        return kwargs.get(patient)
    return getattr(request, "audit_patient", None)


def note_shown(
    request: HttpRequest, *, patient: Any = None, target: models.Model | None = None, **data: Any
) -> None:
    """For an `audited` view: whose data the page showed (a list passes `patient_ids`), the
    record it showed, and anything else worth keeping (the filters a list was asked for)."""
    if patient is not None:
        request.audit_patient = getattr(patient, "pk", patient)  # type: ignore[attr-defined]
    if target is not None:
        request.audit_target = target  # type: ignore[attr-defined]
    request.audit_data = {**getattr(request, "audit_data", {}), **data}  # type: ignore[attr-defined]
