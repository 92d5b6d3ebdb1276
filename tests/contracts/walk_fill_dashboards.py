"""The compliance scorecard is every provider's own page: no keywords of its own."""

OWN = {"compliance:provider_dashboard"}


def fill(tenants) -> dict:
    return {}
