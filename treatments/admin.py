from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest

from botoxcare.admin_readonly import ReadOnlyAdminMixin, ReadOnlyOnceUsedAdmin

from .models import ConsentForm, ProductLot, Reminder
from .services.consent_forms import consent_form_used


@admin.register(ConsentForm)
class ConsentFormAdmin(ReadOnlyOnceUsedAdmin):
    """A version signed or sent to sign is what patients were given: view only. New versions
    and their activation are the clinic admin's, at /clinic/consent-forms/."""

    list_display = ["title", "version", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]
    search_fields = ["title"]
    used_note = (
        "This version was signed or sent to be signed, so it cannot change; the clinic's "
        "admin writes a new version in the app (Clinic → Consent forms)."
    )

    def is_used(self, obj: Any) -> bool:
        return consent_form_used(obj)


@admin.register(ProductLot)
class ProductLotAdmin(ReadOnlyOnceUsedAdmin):
    """A lot a session used is part of that session's record (its number and expiry are
    on the timeline and in the PDFs): view only. An unused lot may still be corrected."""

    list_display = ["lot_number", "product", "expiry_date", "vial_units", "clinic", "used_in"]
    list_filter = ["clinic", "vial_units"]
    search_fields = ["lot_number"]
    used_note = "Sessions used this lot, so it cannot change or be deleted."

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProductLot]:
        return (
            super()
            .get_queryset(request)
            .annotate(session_count=Count("vials__session", distinct=True))
        )

    @admin.display(description="sessions", ordering="session_count")
    def used_in(self, obj: Any) -> int:
        return int(obj.session_count)

    def is_used(self, obj: Any) -> bool:
        return bool(obj.vials.exists())


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Sent, retried and handled by the sweep and the schedules page, never here."""

    list_display = ["kind", "due_at", "sent_at", "cancelled_at", "attempts"]
    list_filter = ["kind"]
    search_fields = ["key"]
    date_hierarchy = "due_at"
