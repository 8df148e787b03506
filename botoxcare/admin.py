from django.contrib import admin

from .models import Clinic, ClinicSettings, StaffProfile


class ClinicSettingsInline(admin.StackedInline):
    model = ClinicSettings
    can_delete = False


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "phone"]
    inlines = [ClinicSettingsInline]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic"]
    list_filter = ["clinic"]
