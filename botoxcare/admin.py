from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .admin_readonly import ReadOnlyAdminMixin
from .models import Clinic, ClinicSettings, StaffProfile
from .services import clinic_create

SETTINGS_NOTE = (
    "Read-only here. The clinic's admin changes these in the app, at Clinic → Settings "
    "(/clinic/settings/), which checks every value and the muscle table together and keeps "
    "the history of each change."
)


class ClinicSettingsInline(ReadOnlyAdminMixin, admin.StackedInline):
    # Read-only rather than validated here: the app's checks (clinic_settings_update) act for
    # a member holding the clinic's settings role and write the history as them; an operator
    # belongs to no clinic, and the raw JSON of the muscle table is not the form they check.
    model = ClinicSettings

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [(None, {"fields": self.get_fields(request, obj), "description": SETTINGS_NOTE})]


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    """A deployment's operator adds clinics and corrects their name, address and phone; a
    clinic is never deleted here (its settings history would go with it)."""

    list_display = ["name", "slug", "phone"]
    search_fields = ["name", "slug"]
    inlines = [ClinicSettingsInline]

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        return self.inlines if obj is not None else []

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Clinic, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new clinic gets its settings at the protocol's defaults, as everywhere else.
        created = clinic_create(name=obj.name, slug=obj.slug, phone=obj.phone)
        obj.pk = created.pk
        obj._state.adding = False
        obj._state.db = created._state.db


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_filter = ["clinic"]
    list_select_related = ["user", "clinic"]
    search_fields = ["user__username"]
