"""Tenancy walk: agreement templates. The list is a page every provider author has, showing
only their own organisations' templates; a saved template is the tenant's own row."""

from contracts.models import AgreementTemplate

OWN = {"contracts:agreement_templates", "contracts:contract_list"}


def fill(tenants) -> dict:
    template = AgreementTemplate.objects.create(
        owner=tenants.provider,
        name=f"{tenants.provider.name} agreement",
        document="contract:\n  title: Kept terms\n",
        created_by=tenants.provider_admin,
    )
    return {"agreement_id": template.pk, "choice": f"saved:{template.pk}"}
