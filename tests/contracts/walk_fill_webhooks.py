"""URL keywords of the webhook pages and API (a subscription of the first tenant), for the
tenancy walk."""

from webhooks.models import Subscription

# Every signed-in user may open these; they list or offer only their own organisations.
OWN = {"webhooks:subscription_list", "webhooks:subscription_new", "api-webhook-subscription-list"}


def fill(tenants) -> dict:
    subscription = Subscription.objects.create(
        organisation=tenants.provider,
        url="https://hooks.brightline.example/sla",
        event_types=["report.issued"],
    )
    return {"subscription_id": subscription.pk}
