"""Whose branding a user sees, and a provider's branding as documents and emails print it."""

from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet

from contracts.branding.brand import Branding
from contracts.models import Membership, Organisation


def organisations_branding_visible_to(user) -> QuerySet[Organisation]:
    """The user's own organisations and the providers of their contracts: those whose logo
    the user's pages show."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    org_ids = Membership.objects.filter(user=user).values("organisation_id")
    return Organisation.objects.filter(
        Q(id__in=org_ids) | Q(contracts_as_provider__customer__in=org_ids)
    ).distinct()


def logo_bytes(organisation: Organisation) -> bytes:
    """The stored logo PNG, or empty when there is none (or its file has gone)."""
    if not organisation.logo:
        return b""
    try:
        with default_storage.open(organisation.logo.name, "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def branding_of(organisation: Organisation) -> Branding:
    """The provider's branding for a newly rendered document or email."""
    return Branding(name=organisation.name, accent=organisation.accent, logo_png=logo_bytes(organisation))
