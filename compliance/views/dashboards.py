"""The provider's scorecard: every active contract × the last six complete months.

Only provider staff (admins and authors of a provider organisation) have the page; anyone
else gets a 404, as for any page outside their scope. Contracts come through
``contracts.selectors.tenancy``; figures through ``compliance.selectors.trends`` (stored revisions, missing
months evaluated in bulk), so the number of queries does not grow with the contracts.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from compliance.engine.periods import period_of, previous_period
from compliance.selectors import scorecards
from compliance.selectors.trends import months_ending
from contracts.caching.pages import cached_page
from contracts.selectors import tenancy

SCORECARD_MONTHS = 6


def last_complete_month(now: datetime | None = None) -> tuple[int, int]:
    """The last month that is over on the portal's clock."""
    return previous_period(*period_of(now or timezone.now(), timezone.get_current_timezone()))


@login_required
@require_GET
@cached_page
def provider_dashboard(request):
    if not tenancy.provider_organisations_authored_by(request.user).exists():
        raise Http404
    contracts = list(scorecards.provider_contracts_for(request.user))
    periods = months_ending(last_complete_month(), SCORECARD_MONTHS)
    scorecard = scorecards.provider_scorecard(contracts, periods)
    return render(request, "compliance/dashboard_provider.html", {"scorecard": scorecard})
