"""URL keywords of the event sources' pages and their hook, for the tenancy walk."""

from compliance.services.sources import source_create


def fill(tenants) -> dict:
    source = source_create(
        contract=tenants.contract, user=tenants.provider_admin, kind="alertmanager", name="Walk monitoring"
    )
    return {"hook_token": source.token, "source_id": source.pk}
