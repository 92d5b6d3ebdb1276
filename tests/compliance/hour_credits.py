"""A contract whose credits are hours of work (as internal SLAs often have), and the text
a page shows, for the tests of what users read about hour credits."""

from __future__ import annotations

import html
import re

from contracts import services as contract_services
from tests import factories


def hour_credit_contract(tenants):
    """The tenants' contract, published, with ``factories.version_with_terms`` but the
    availability tiers in hours: below 99.9 % → 1 hour of work, below 99.0 % → 4 hours.
    A 60-minute outage in a month (99.8–99.9 %) owes 1.00 h and no money; the 50 % cap
    stays, and limits money only."""
    contract = tenants.contract
    version = factories.version_with_terms(contract, user=tenants.provider_author)
    contract_services.credit_tiers_set(
        service_level=version.service_levels.get(key="availability"),
        tiers=[("99.9", "hours", "1"), ("99.0", "hours", "4")],
    )
    contract_services.version_publish(version=version, user=tenants.provider_author)
    return contract


def visible_text(page: str) -> str:
    """The page's text with tags dropped and white space collapsed, as a reader sees it."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"</?(a|b|code|em|span|strong)\b[^>]*>", "", page)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
