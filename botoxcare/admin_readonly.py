"""What Django's `/admin/` may do to the records the app keeps. `/admin/` is for the
deployment's operators; the clinic's records are written only by the app's services (which
check, lock and log), so here they are shown, never added, changed or deleted.

The apps' `admin.py` use these; a test walks `admin.site._registry` so that a model registered
without one of them fails (tests/core/test_admin.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """View only: no add, change or delete page works (a POST to one is 403), and the list has
    no delete action. For a ModelAdmin or an inline (put it first among the bases)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyOnceUsedAdmin(admin.ModelAdmin):
    """A row that records point to (a lot a session used, a consent version given to a
    patient) is view only; one nothing uses yet may still be corrected or deleted.

    The check is made when the page is shown and again on the POST (Django asks for the
    permission inside the save's transaction), so a row used meanwhile is refused then."""

    used_note = "Records point to this row, so it cannot change here."

    def is_used(self, obj: models.Model) -> bool:
        raise NotImplementedError

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.is_used(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and self.is_used(obj):
            return False
        return super().has_delete_permission(request, obj)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets: Sequence[Any] = super().get_fieldsets(request, obj)
        if obj is None or not self.is_used(obj):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "description": self.used_note}), *rest]
