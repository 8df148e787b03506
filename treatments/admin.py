from django.contrib import admin

from .models import ConsentForm, ProductLot, Reminder


@admin.register(ConsentForm)
class ConsentFormAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "clinic", "is_active"]


@admin.register(ProductLot)
class ProductLotAdmin(admin.ModelAdmin):
    list_display = ["lot_number", "product", "expiry_date", "vial_units", "clinic"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["kind", "due_at", "sent_at", "cancelled_at", "attempts"]
    readonly_fields = ["course", "kind", "due_at", "sent_at", "cancelled_at", "key", "attempts"]
