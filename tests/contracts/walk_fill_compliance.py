"""URL keywords of the compliance figures (the API's month), for the tenancy walk."""


def fill(tenants) -> dict:
    return {"period": "2026-03"}
