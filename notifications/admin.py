from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("title", "recipient", "kind", "created_at", "read_at", "delivery", "emailed_at")
    list_filter = ("kind", "delivery")
    search_fields = ("title", "recipient__email")
    raw_id_fields = ("recipient", "contract")
