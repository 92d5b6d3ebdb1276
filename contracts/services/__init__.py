"""Writes. Views, admin, commands, tasks and the API all go through these functions.

The names are loaded on first use, so that importing one service module (the admin does
at every start) does not load all of them."""

from importlib import import_module

_MODULES = {
    "user_display_time_zone_set": "contracts.services.people",
    "service_level_move": "contracts.services.terms_order",
    "service_level_reorder": "contracts.services.terms_order",
    "organisation_branding_update": "contracts.services.branding",
    "organisation_logo_remove": "contracts.services.branding",
    "audit_draft_change": "contracts.services.audit",
    "audit_record": "contracts.services.audit",
    "audit_record_automatic_many": "contracts.services.audit",
    "MOVE_DIRECTIONS": "contracts.services.clauses",
    "clause_add": "contracts.services.clauses",
    "clause_add_from_template": "contracts.services.clauses",
    "clause_category_create": "contracts.services.clauses",
    "clause_category_delete": "contracts.services.clauses",
    "clause_delete": "contracts.services.clauses",
    "clause_move": "contracts.services.clauses",
    "clause_move_to": "contracts.services.clauses",
    "clause_reorder": "contracts.services.clauses",
    "clause_save_to_library": "contracts.services.clauses",
    "clause_template_create": "contracts.services.clauses",
    "clause_template_delete": "contracts.services.clauses",
    "clause_template_update": "contracts.services.clauses",
    "clause_update": "contracts.services.clauses",
    "contract_create": "contracts.services.contracts",
    "contract_reference_next": "contracts.services.contracts",
    "ensure_draft": "contracts.services.drafts",
    "invitation_accept": "contracts.services.parties",
    "invitation_create": "contracts.services.parties",
    "invitation_email_send": "contracts.services.parties",
    "invitation_from_token": "contracts.services.parties",
    "invitation_revoke": "contracts.services.parties",
    "invitation_token": "contracts.services.parties",
    "invitation_url": "contracts.services.parties",
    "membership_remove": "contracts.services.parties",
    "membership_set": "contracts.services.parties",
    "membership_update": "contracts.services.parties",
    "organisation_create": "contracts.services.parties",
    "calendar_create": "contracts.services.terms",
    "calendar_delete": "contracts.services.terms",
    "calendar_update": "contracts.services.terms",
    "credit_cap_delete": "contracts.services.terms",
    "credit_cap_set": "contracts.services.terms",
    "credit_tier_create": "contracts.services.terms",
    "credit_tier_delete": "contracts.services.terms",
    "credit_tier_update": "contracts.services.terms",
    "credit_tiers_set": "contracts.services.terms",
    "hours_commitment_delete": "contracts.services.terms",
    "hours_commitment_set": "contracts.services.terms",
    "maintenance_window_create": "contracts.services.terms",
    "maintenance_window_delete": "contracts.services.terms",
    "maintenance_window_update": "contracts.services.terms",
    "parameter_delete": "contracts.services.terms",
    "parameter_set": "contracts.services.terms",
    "responsibility_create": "contracts.services.terms",
    "responsibility_delete": "contracts.services.terms",
    "responsibility_update": "contracts.services.terms",
    "service_create": "contracts.services.terms",
    "service_delete": "contracts.services.terms",
    "service_level_create": "contracts.services.terms",
    "service_level_delete": "contracts.services.terms",
    "service_level_update": "contracts.services.terms",
    "service_update": "contracts.services.terms",
    "contract_create_from": "contracts.services.versions",
    "version_create_draft": "contracts.services.versions",
    "version_discard_draft": "contracts.services.versions",
    "version_publish": "contracts.services.versions",
}

__all__ = list(_MODULES)


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_MODULES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
