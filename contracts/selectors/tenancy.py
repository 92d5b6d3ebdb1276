"""Which organisations, contracts and invitations a user may see and change.

Every view and API endpoint gets its objects through this module: an object outside the
user's scope is simply not in the queryset, so looking it up answers 404 — the same answer
as for an object that does not exist, which reveals nothing.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from contracts.models import AuditEvent, ClauseCategory, Contract, Membership, Organisation, Role
from contracts.models.audit import DRAFT_WORK

AUTHOR_ROLES = (Role.ADMIN, Role.AUTHOR)


def memberships_for_user(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def organisations_for_user(user) -> QuerySet[Organisation]:
    """Organisations the user is a member of."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user)


def organisations_administered_by(user) -> QuerySet[Organisation]:
    """Organisations whose members the user manages."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role=Role.ADMIN)


def contracts_for_user(user) -> QuerySet[Contract]:
    """Contracts to which one of the user's organisations is a party."""
    if not user.is_authenticated:
        return Contract.objects.none()
    org_ids = Membership.objects.filter(user=user).values("organisation_id")
    return Contract.objects.filter(Q(provider__in=org_ids) | Q(customer__in=org_ids)).select_related(
        "provider", "customer"
    )


def contracts_authored_by(user) -> QuerySet[Contract]:
    """Contracts the user may draft and record events for: their organisation is the provider
    and their role there is admin or author."""
    if not user.is_authenticated:
        return Contract.objects.none()
    org_ids = Membership.objects.filter(user=user, role__in=AUTHOR_ROLES).values("organisation_id")
    return Contract.objects.filter(provider__in=org_ids).select_related("provider", "customer")


def organisations_authored_by(user) -> QuerySet[Organisation]:
    """Organisations in which the user may draft contracts as the provider."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__role__in=AUTHOR_ROLES)


def provider_organisations_authored_by(user) -> QuerySet[Organisation]:
    """Provider organisations in which the user may start new contracts."""
    return organisations_authored_by(user).filter(is_provider=True).distinct()


def customer_choices_for(user) -> QuerySet[Organisation]:
    """Organisations the user may name as the customer of a new contract.

    The existing customers of the user's provider organisations, plus the other
    organisations of their own company (departments, for internal SLAs) — never every
    organisation in the database.
    """
    providers = list(provider_organisations_authored_by(user).values_list("id", "parent_id"))
    if not providers:
        return Organisation.objects.none()
    provider_ids = [pk for pk, _ in providers]
    company_ids = {parent_id or pk for pk, parent_id in providers}
    return (
        Organisation.objects.filter(
            Q(contracts_as_customer__provider__in=provider_ids)
            | Q(id__in=company_ids)
            | Q(parent_id__in=company_ids)
        )
        .distinct()
        .order_by("name", "id")
    )


def clause_categories_for_user(user):
    """Categories of the clause libraries of the provider organisations the user drafts for."""

    return ClauseCategory.objects.filter(owner__in=provider_organisations_authored_by(user)).select_related(
        "owner"
    )


def contracts_audited_for_user(user) -> QuerySet[Contract]:
    """Contracts whose audit log the user may read: those their organisation provides when
    they are its admin, and those their organisation is the customer of (every member: it
    is their own contract). The provider's other members read no log — it is the admins'
    oversight of the work done in their organisation's name."""
    if not user.is_authenticated:
        return Contract.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return Contract.objects.filter(Q(provider__in=admin_of) | Q(customer__in=member_of)).select_related(
        "provider", "customer"
    )


def audit_events_for_user(user):
    """The audit events of :func:`contracts_audited_for_user`; the customer's members do not
    see the provider's work on drafts (terms and clause edits, new drafts), exactly as they
    do not see the drafts themselves — a version shows up in their log once published."""

    if not user.is_authenticated:
        return AuditEvent.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return AuditEvent.objects.filter(
        Q(contract__provider__in=admin_of) | (Q(contract__customer__in=member_of) & ~Q(action__in=DRAFT_WORK))
    )


def get_for_user_or_404(queryset: QuerySet, **lookup):
    """The one object of a tenant-scoped queryset matching lookup, or 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(f"No {queryset.model._meta.verbose_name} found.") from exc


def get_contract_for_user_or_404(user, reference: str) -> Contract:
    return get_for_user_or_404(contracts_for_user(user), reference=reference)


def get_organisation_for_user_or_404(user, slug: str) -> Organisation:
    return get_for_user_or_404(organisations_for_user(user), slug=slug)


def membership_of(user, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()
