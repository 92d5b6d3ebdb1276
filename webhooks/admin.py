from django.contrib import admin

from webhooks.models import Attempt, Delivery, Event, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["url", "organisation", "is_active", "failing_since", "last_success_at"]
    list_filter = ["is_active"]
    exclude = ["secret", "previous_secret"]
    readonly_fields = ["organisation", "created_by", "disabled_email_sent_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["event", "subscription", "status", "attempts", "last_status_code", "created_at"]
    list_filter = ["status"]
    readonly_fields = ["subscription", "event"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["message_id", "event_type", "organisation", "created_at"]
    list_filter = ["event_type"]
    readonly_fields = ["organisation"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    list_display = ["delivery", "number", "started_at", "status_code", "duration_ms"]
    readonly_fields = ["delivery"]
