"""The editor's pages for the tenancy walk: its URL keywords all come from walk_fill_core."""

# Every author has the "new contract" page; it shows only their own organisations.
OWN = {"contracts:contract_new"}


def fill(tenants) -> dict:
    return {}
