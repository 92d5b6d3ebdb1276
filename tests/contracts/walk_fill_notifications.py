"""URL keywords of the notifications: one told to the first tenant's provider admin. The
list, the preferences and marking all read are every signed-in user's own pages."""

from notifications.models import Kind
from notifications.services import notify

OWN = {"notifications:list", "notifications:preferences", "notifications:read_all"}


def fill(tenants) -> dict:
    [notification] = notify(
        users=[tenants.provider_admin],
        kind=Kind.CONTRACT_SIGNED,
        key=f"walk:{tenants.contract.reference}",
        contract=tenants.contract,
        title=f"{tenants.contract.reference}: signed by every party",
        url=f"/contracts/{tenants.contract.reference}/",
    )
    return {"notification_id": notification.pk}
