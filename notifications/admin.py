from django.contrib import admin

from notifications.models import Notification, Preference, WarningSubscription


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "delivery", "emailed_at")
    list_filter = ("kind", "delivery")
    search_fields = ("title", "recipient__email")
    raw_id_fields = ("recipient", "contract")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")
    raw_id_fields = ("user",)


@admin.register(WarningSubscription)
class WarningSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("user", "all_contracts")
    raw_id_fields = ("user",)
    filter_horizontal = ("contracts",)
