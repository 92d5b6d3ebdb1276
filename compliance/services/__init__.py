"""Writes of the compliance app: events (one, or a batch), CSV imports and API tokens.

The names are loaded on first use, so that importing one service module (the admin does
at every start) does not load all of them."""

from slaportal.lazy_exports import lazy_exports

_MODULES = {
    "KINDS": "compliance.services.events",
    "BatchInvalid": "compliance.services.events",
    "UpsertResult": "compliance.services.events",
    "event_save": "compliance.services.events",
    "events_check": "compliance.services.events",
    "events_upsert": "compliance.services.events",
    "incident_pause_add": "compliance.services.events",
    "incident_pause_delete": "compliance.services.events",
    "ImportInvalid": "compliance.services.imports",
    "RowError": "compliance.services.imports",
    "events_import_csv": "compliance.services.imports",
    "api_token_create": "compliance.services.tokens",
    "api_token_revoke": "compliance.services.tokens",
    "api_token_user": "compliance.services.tokens",
    "api_token_used": "compliance.services.tokens",
    "Table": "compliance.services.import_files",
    "table_read": "compliance.services.import_files",
    "Preview": "compliance.services.import_profiles",
    "events_import_mapped": "compliance.services.import_profiles",
    "import_preview": "compliance.services.import_profiles",
    "import_profile_create": "compliance.services.import_profiles",
    "import_profile_delete": "compliance.services.import_profiles",
    "import_profile_update": "compliance.services.import_profiles",
    "mapping_errors": "compliance.services.import_profiles",
}

__all__ = list(_MODULES)
__getattr__, __dir__ = lazy_exports(__name__, _MODULES)
