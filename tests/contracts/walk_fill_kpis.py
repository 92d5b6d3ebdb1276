"""URL keywords of the custom KPI values (the API's service level key), for the tenancy walk."""


def fill(tenants) -> dict:
    return {"level_key": "csat"}
