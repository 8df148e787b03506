"""Reading the audit trail in tests: the one event an action wrote, and the public functions of
a services package (so a table of which event each writes can be checked complete)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from botoxcare.models import AuditEvent


def only_event(action: str, **filters: Any) -> AuditEvent:
    """The single event `action` wrote (failing when there are none or several)."""
    found = list(AuditEvent.objects.filter(action=action, **filters))
    assert len(found) == 1, f"{action}: {len(found)} events, expected 1"
    return found[0]


def actions() -> list[str]:
    """Every event's action, oldest first."""
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def _modules(package: ModuleType) -> Iterable[ModuleType]:
    yield package
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        yield importlib.import_module(f"{package.__name__}.{info.name}")


def public_functions(*packages: ModuleType) -> set[str]:
    """`module.function` for every public function defined in the packages' modules."""
    return {
        f"{module.__name__}.{name}"
        for package in packages
        for module in _modules(package)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if not name.startswith("_") and function.__module__ == module.__name__
    }
