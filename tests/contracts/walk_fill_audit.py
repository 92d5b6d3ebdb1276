"""URL keywords of the activity pages, for the tenancy walk.

The pages take the contract's ``reference`` and the organisation's ``slug`` the walk
already fills; the first tenant's contract gets a logged event of each party, so that a
page leaking it would show the provider's name."""

from contracts import services
from contracts.models import AuditAction


def fill(tenants) -> dict:
    services.audit_record(
        contract=tenants.contract,
        action=AuditAction.TERMS_EDITED,
        actor=tenants.provider_admin,
        summary=f"Changed the terms for {tenants.provider.name}",
    )
    services.audit_record(
        contract=tenants.contract,
        action=AuditAction.SIGNED,
        actor=tenants.customer_signer,
        summary="Signed version 1",
    )
    return {}
