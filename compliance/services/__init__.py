"""Writes of the compliance app: events (one, or a batch), CSV imports and API tokens."""

from compliance.services.events import (
    KINDS,
    BatchInvalid,
    UpsertResult,
    event_save,
    events_check,
    events_upsert,
    incident_pause_add,
    incident_pause_delete,
)
from compliance.services.imports import ImportInvalid, RowError, events_import_csv
from compliance.services.tokens import api_token_create, api_token_revoke, api_token_user

__all__ = [
    "KINDS",
    "BatchInvalid",
    "ImportInvalid",
    "RowError",
    "UpsertResult",
    "api_token_create",
    "api_token_revoke",
    "api_token_user",
    "event_save",
    "events_check",
    "events_import_csv",
    "events_upsert",
    "incident_pause_add",
    "incident_pause_delete",
]

from compliance.services.import_files import Table, table_read
from compliance.services.import_profiles import (
    Preview,
    events_import_mapped,
    import_preview,
    import_profile_create,
    import_profile_delete,
    import_profile_update,
    mapping_errors,
)

__all__ += [
    "Preview",
    "Table",
    "events_import_mapped",
    "import_preview",
    "import_profile_create",
    "import_profile_delete",
    "import_profile_update",
    "mapping_errors",
    "table_read",
]
