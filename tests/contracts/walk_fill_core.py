"""URL keywords shared by the authoring areas, for the tenancy walk.

Version 1 of the first tenant's contract is published (frozen) and version 2 is its draft
copy, so both frozen-only and draft-only pages have something to show.
"""

from contracts import services
from contracts.models import ClauseCategory, ClauseTemplate, CreditTier, MaintenanceWindow
from tests import factories


def fill(tenants) -> dict:
    contract = tenants.contract
    first = factories.version_with_terms(contract, user=tenants.provider_author)
    services.version_publish(version=first, user=tenants.provider_author)
    draft = services.version_create_draft(contract=contract, user=tenants.provider_author, note="Second")
    services.maintenance_window_create(version=draft, weekday=6, start="02:00", duration_minutes=120)
    category = ClauseCategory.objects.create(owner=tenants.provider, name="Scope")
    template = ClauseTemplate.objects.create(
        owner=tenants.provider,
        category=category,
        key="scope",
        heading="Scope",
        legal_text="The Provider supports {{ scope_list }}",
        plain_text="We support the listed systems.",
    )
    level = draft.service_levels.get(key="availability")
    return {
        "number": draft.number,
        "other": first.number,
        "clause_id": draft.clauses.first().pk,
        "parameter_id": draft.parameters.get(name="uptime_target").pk,
        "service_id": draft.services.first().pk,
        "level_id": level.pk,
        "calendar_id": draft.calendars.first().pk,
        "window_id": MaintenanceWindow.objects.get(version=draft).pk,
        "tier_id": CreditTier.objects.filter(service_level=level).first().pk,
        "responsibility_id": draft.responsibilities.first().pk,
        "template_id": template.pk,
        "category_id": category.pk,
    }
