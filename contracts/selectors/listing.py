"""The contracts list: every contract the user's organisations are party to, found and sorted."""

from __future__ import annotations

from django.db.models import QuerySet

from contracts.models import Contract, Organisation
from contracts.selectors.tenancy import contracts_for_user

EXPORT_HEADER = (
    "Reference",
    "Title",
    "Provider",
    "Customer",
    "Status",
    "Start",
    "End",
    "Renews automatically",
    "Currency",
    "Monthly fee",
)


def contracts_listed_for(user) -> QuerySet[Contract]:
    """The user's contracts, newest first, with both parties loaded."""
    return contracts_for_user(user).order_by("-start_date", "-reference")


def customers_listed_for(user) -> QuerySet[Organisation]:
    """The customers of the user's contracts: the choices of the customer filter."""
    return Organisation.objects.filter(pk__in=contracts_for_user(user).values("customer_id")).order_by("name")


def export_rows(contracts) -> list[tuple]:
    return [
        (
            c.reference,
            c.title,
            c.provider.name,
            c.customer.name,
            c.get_status_display(),
            c.start_date,
            c.end_date,
            c.auto_renew,
            c.currency,
            c.monthly_fee,
        )
        for c in contracts
    ]
