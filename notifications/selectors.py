"""Reads of notifications: a person's own only, and who is told of what.

A person sees only the notifications addressed to them: another person's id is simply not
in the queryset, so it answers 404. Recipients are always members of the contract's parties,
read from the contract's own provider and customer, so nobody outside them is ever told.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from contracts.models import Contract, Membership, Role, User
from contracts.selectors.tenancy import contracts_for_user
from notifications.models import (
    DEFAULT_DELIVERY,
    WARNING_KINDS,
    Notification,
    Preference,
    WarningSubscription,
)


def notifications_for(user) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).select_related("contract")


def unread_count(user) -> int:
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def deliveries_of(users) -> dict[int, dict[str, str]]:
    """Each user's email delivery per kind, the defaults filled in, in one query."""
    chosen: dict[int, dict[str, str]] = {
        user.pk: {str(k): str(v) for k, v in DEFAULT_DELIVERY.items()} for user in users
    }
    for user_id, kind, delivery in Preference.objects.filter(user__in=[u.pk for u in users]).values_list(
        "user_id", "kind", "delivery"
    ):
        chosen[user_id][kind] = delivery
    return chosen


def subscription_of(user) -> WarningSubscription:
    """The user's choice of warnings (unsaved, with every kind and contract, when never made)."""
    found = WarningSubscription.objects.filter(user=user).first()
    return found or WarningSubscription(
        user=user, kinds=[key for key, _ in WARNING_KINDS], all_contracts=True
    )


def warnable_contracts(user) -> QuerySet[Contract]:
    """The contracts whose warnings the user may choose: those their organisation provides
    as admin or author."""
    org_ids = Membership.objects.filter(user=user, role__in=(Role.ADMIN, Role.AUTHOR)).values(
        "organisation_id"
    )
    return contracts_for_user(user).filter(provider__in=org_ids).order_by("reference")


def _members(organisation_ids, roles=None) -> list[User]:
    filters = Q(memberships__organisation_id__in=organisation_ids, is_active=True)
    if roles is not None:
        filters &= Q(memberships__role__in=roles)
    return list(User.objects.filter(filters).distinct().order_by("pk"))


def warning_recipients(contract: Contract, warning_kind: str) -> list[User]:
    """The provider's admins and authors who chose this kind of warning for this contract."""
    staff = _members([contract.provider_id], (Role.ADMIN, Role.AUTHOR))
    if not staff:
        return []
    subscriptions = {
        s.user_id: s for s in WarningSubscription.objects.filter(user__in=staff).prefetch_related("contracts")
    }
    chosen = []
    for user in staff:
        subscription = subscriptions.get(user.pk)
        if (
            subscription is None
            or warning_kind in subscription.kinds
            and (subscription.all_contracts or any(c.pk == contract.pk for c in subscription.contracts.all()))
        ):
            chosen.append(user)
    return chosen


def provider_staff(contract: Contract) -> list[User]:
    return _members([contract.provider_id], (Role.ADMIN, Role.AUTHOR))


def provider_signers(contract: Contract) -> list[User]:
    """Who signs for the provider: its admins and signers."""
    return _members([contract.provider_id], (Role.ADMIN, Role.SIGNER))


def customer_members(contract: Contract) -> list[User]:
    return _members([contract.customer_id])


def party_admins(contract: Contract) -> list[User]:
    """The admins of the provider and of the customer of this contract."""
    return _members([contract.provider_id, contract.customer_id], (Role.ADMIN,))


def party_admins_and_signers(contract: Contract) -> list[User]:
    return _members([contract.provider_id, contract.customer_id], (Role.ADMIN, Role.SIGNER))


def members_among(contract: Contract, users) -> list[User]:
    """Those of ``users`` who are still members of either party."""
    ids = [u.pk for u in users if u is not None]
    return list(
        User.objects.filter(
            pk__in=ids, memberships__organisation_id__in=[contract.provider_id, contract.customer_id]
        ).distinct()
    )
