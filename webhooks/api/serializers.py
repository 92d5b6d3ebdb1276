"""What the webhooks API reads and writes."""

from __future__ import annotations

from rest_framework import serializers

from webhooks import events
from webhooks.models import Attempt, Delivery, DeliveryStatus, Subscription


class SubscriptionSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=events.CHOICES), help_text="The events sent to the URL."
    )
    secret_hint = serializers.CharField(read_only=True, help_text="The start of the signing secret.")

    class Meta:
        model = Subscription
        fields = [
            "id",
            "organisation",
            "url",
            "description",
            "event_types",
            "is_active",
            "secret_hint",
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "last_success_at",
            "created_at",
        ]
        read_only_fields = [
            "failing_since",
            "disabled_at",
            "disabled_reason",
            "last_success_at",
            "created_at",
        ]


class SubscriptionCreateSerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        required=False, help_text="The provider organisation (its slug); needed when you administer several."
    )
    url = serializers.URLField(max_length=500)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=events.CHOICES), allow_empty=False
    )


class SubscriptionCreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(read_only=True, help_text="The signing secret: shown in this answer only.")

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class AttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attempt
        fields = ["number", "started_at", "status_code", "duration_ms", "error"]


class WebhookDeliverySerializer(serializers.ModelSerializer):
    event_type = serializers.CharField(source="event.event_type")
    message_id = serializers.CharField(source="event.message_id", help_text="The webhook-id header.")
    status = serializers.ChoiceField(choices=DeliveryStatus.choices)
    attempt_log = AttemptSerializer(many=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "event_type",
            "message_id",
            "status",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
