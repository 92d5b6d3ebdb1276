"""Everyone's first page: their organisations, the contracts they provide and receive, how
each received contract stood last month, and the signatures awaiting them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from compliance.selectors.scorecards import received_standing
from contracts.caching.pages import cached_page
from contracts.models.contract import ContractStatus
from contracts.selectors.signing import signatures_awaiting
from contracts.selectors.tenancy import contracts_for_user, memberships_for_user


@login_required
@cached_page
def dashboard(request):
    memberships = list(memberships_for_user(request.user))
    org_ids = {m.organisation_id for m in memberships}
    contracts = list(contracts_for_user(request.user).order_by("-start_date", "reference"))
    received = [c for c in contracts if c.customer_id in org_ids and c.provider_id not in org_ids]
    # Each received contract in force: its last complete month (stored figures, missing
    # ones evaluated in bulk, so the queries do not grow with the contracts).
    active = [c for c in received if c.status == ContractStatus.ACTIVE]
    verdicts = received_standing(active)
    return render(
        request,
        "contracts/dashboard.html",
        {
            "memberships": memberships,
            "provided": [c for c in contracts if c.provider_id in org_ids],
            "received": received,
            "standing": [(contract, verdicts.get(contract.pk)) for contract in active],
            "to_sign": signatures_awaiting(request.user),
        },
    )
