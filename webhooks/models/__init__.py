from webhooks.models.deliveries import Attempt, Delivery, DeliveryStatus, Event
from webhooks.models.subscriptions import Subscription, new_secret

__all__ = ["Attempt", "Delivery", "DeliveryStatus", "Event", "Subscription", "new_secret"]
