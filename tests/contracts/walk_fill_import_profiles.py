"""URL keywords of the import profile pages, for the tenancy walk."""

from compliance import services
from compliance.engine.mapping import ColumnMapping


def fill(tenants) -> dict:
    profile = services.import_profile_create(
        organisation=tenants.provider,
        user=tenants.provider_author,
        name=f"{tenants.provider.name} tickets",
        mapping=ColumnMapping(
            kind="incidents",
            columns={"external_id": "Id", "service": "Type", "priority": "Priority", "opened_at": "Created"},
        ),
    )
    return {"import_profile_id": profile.pk}
