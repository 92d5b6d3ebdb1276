"""URL keywords of the provider-wide sources' pages, for the tenancy walk."""

from compliance.services.source_routes import route_save, shared_source_create


def fill(tenants) -> dict:
    source = shared_source_create(
        organisation=tenants.provider, user=tenants.provider_admin, kind="alertmanager", name="Walk central"
    )
    route = route_save(source=source, match_value="walk", contract=tenants.contract)
    return {"shared_source_id": source.pk, "route_id": route.pk}
