"""URL keywords of renewals: none beyond the contract's reference. The Renewals list is every
signed-in user's own page, showing only their own contracts; the first tenant's contract is
given a term ending soon, so that it would show there if the list leaked."""

from datetime import timedelta

from django.utils import timezone

from contracts.models import Contract

OWN = {"contracts:renewal_list"}


def fill(tenants) -> dict:
    Contract.objects.filter(pk=tenants.contract.pk).update(
        end_date=timezone.localdate() + timedelta(days=20), auto_renew=True
    )
    tenants.contract.refresh_from_db()
    return {}
