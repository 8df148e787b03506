"""A clinic's change counter: a number that moves whenever something of the clinic changes, so
that a figure computed from many rows (the schedules' counts) can be kept and re-used until the
next change instead of being counted again on every request.

Every change is written through `botoxcare.audit.log_action` in its transaction (the
convention the audit trail rests on), so that is where the counter moves: once at once, so the
process that made the change never re-uses an older figure, and once after the commit, so a
figure another request computed from the rows before the commit is not kept either. A look (a
page seen, a list, a download) moves nothing.

The counter lives in Django's cache ("default"): per process on the embedded default, shared
through Redis in production. A cache that fails (Redis down) answers "unknown", and a caller
then computes the figure as if nothing were kept: the page works, a little slower. After a
failure the process leaves the cache alone for `RESTING_SECONDS`, so that an outage costs one
connection timeout now and then, not one on every request and every change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from functools import partial
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

T = TypeVar("T")

RESTING_SECONDS = 10.0
_resting_until = 0.0


class _Unavailable(Exception):
    """The cache failed a moment ago: not tried again yet."""


def _cache_call(method: str, *args: Any, **kwargs: Any) -> Any:
    """`cache.<method>(...)`, or _Unavailable while the cache rests after a failure."""
    global _resting_until  # one process's memory of an outage
    if time.monotonic() < _resting_until:
        raise _Unavailable
    try:
        return getattr(cache, method)(*args, **kwargs)
    except Exception as failure:  # whatever the backend raises when it is down
        _resting_until = time.monotonic() + RESTING_SECONDS
        raise _Unavailable from failure


def _key(clinic_id: int) -> str:
    return f"clinic-generation:{clinic_id}"


def clinic_generation(clinic_id: int) -> int | None:
    """The clinic's counter now (None if the cache cannot be read). A counter the cache has
    lost starts again from the clock, never from a number an older figure was kept under."""
    key = _key(clinic_id)
    try:
        found = _cache_call("get", key)
        if found is None:
            _cache_call("add", key, time.time_ns(), timeout=None)
            found = _cache_call("get", key)
    except _Unavailable:
        log.warning("cache unavailable: clinic generation not read")
        return None
    return int(found) if found is not None else None


def _bump(clinic_id: int) -> None:
    key = _key(clinic_id)
    try:
        moved = max(time.time_ns(), (_cache_call("get", key) or 0) + 1)
        _cache_call("set", key, moved, timeout=None)
    except _Unavailable:
        log.warning("cache unavailable: clinic generation not moved")


def clinic_changed(clinic_id: int | None) -> None:
    """Something of the clinic changes in the current transaction: move its counter now and
    again once the transaction commits."""
    if clinic_id is None:
        return
    _bump(clinic_id)
    after = partial(_bump, clinic_id)
    connection = transaction.get_connection()
    # Once a transaction: a service writing several events moves the counter once more.
    # (Django keeps the callbacks as (savepoints, callback, robust).)
    if connection.in_atomic_block and any(
        is_counter_callback(callback) and callback.args == after.args
        for _savepoints, callback, *_robust in connection.run_on_commit
    ):
        return
    transaction.on_commit(after)


def is_counter_callback(callback: Any) -> bool:
    """Whether an on-commit callback is the counter's own (tests that count a service's
    callbacks leave these out)."""
    return getattr(callback, "func", None) is _bump


def kept(
    key: str, *, clinic_id: int, seconds: int, compute: Callable[[], T], load: Callable[[Any], T]
) -> T:
    """`compute()`'s value for this clinic, re-used for up to `seconds` while the clinic's
    counter stays where it was; `load` turns the kept value back into what `compute` returns
    (the cache keeps plain data)."""
    generation = clinic_generation(clinic_id)
    if generation is None:
        return compute()
    full = f"kept:{key}:{clinic_id}:{generation}"
    try:
        found = _cache_call("get", full)
    except _Unavailable:
        found = None
    if found is not None:
        return load(found)
    value = compute()
    try:
        _cache_call("set", full, _plain(value), timeout=seconds)
    except _Unavailable:
        log.warning("cache unavailable: %s not kept", key)
    return value


def _plain(value: Any) -> Any:
    """What the cache keeps: a dataclass as a dict, named tuples as plain ones."""
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [tuple(item) if isinstance(item, tuple) else item for item in value]
    return value
