"""URL keywords of the import profile pages, for the tenancy walk."""

from compliance import services
from compliance.engine.mapping import ColumnMapping

# The API's list of profiles shows only those of the user's own organisations.
OWN = {"api-import-profile-list"}


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
