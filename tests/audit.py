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


# What the fixtures' clinics and staff write before a test begins.
SETUP_ACTIONS = ("clinic.created", "staff.created")


def actions() -> list[str]:
    """Every event's action, oldest first, but those of making the fixtures' clinics and staff."""
    events = AuditEvent.objects.exclude(action__in=SETUP_ACTIONS).order_by("id")
    return list(events.values_list("action", flat=True))


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


def _source_with_helpers(function: Any) -> str:
    """The function's source and that of the module's private helpers it calls, and theirs."""
    module = inspect.getmodule(function)
    helpers = {
        name: inspect.getsource(helper)
        for name, helper in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("_") and helper.__module__ == module.__name__
    }
    source, seen = inspect.getsource(function), set()
    while called := {n for n in helpers if f"{n}(" in source} - seen:
        seen |= called
        source += "".join(helpers[n] for n in sorted(called))
    return source


def table_problems(
    package: ModuleType, table: dict[str, str | None], *others: dict[str, str | None]
) -> list[str]:
    """What is wrong with a table of the event each public function of `package` writes, keyed
    `module.function` relative to the package (`function` for a module): a function missing
    or gone; an action its source (or a private helper's) never names; a "via f" whose `f` is
    not called or writes nothing (`others`: the tables of the packages it calls into). None:
    writes nothing."""
    prefix = f"{package.__name__}."
    found = {name.removeprefix(prefix) for name in public_functions(package)}
    problems = [f"{name}: not in the table" for name in sorted(found - set(table))]
    problems += [f"{name}: no such function" for name in sorted(set(table) - found)]
    writers = {key.rpartition(".")[2] for t in (table, *others) for key, v in t.items() if v}
    for key, value in table.items():
        if value is None or key not in found:
            continue
        module, _, name = key.rpartition(".")
        where = importlib.import_module(prefix + module) if module else package
        source = _source_with_helpers(getattr(where, name))
        if value.startswith("via "):
            callee = value.removeprefix("via ")
            if f"{callee}(" not in source or callee not in writers:
                problems.append(f"{key}: does not call a writing {callee}")
        elif f'"{value}"' not in source or "log_action(" not in source:
            problems.append(f"{key}: does not write {value}")
    return problems
