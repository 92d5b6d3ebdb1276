"""Tenancy of compliance's own rows: events and API tokens.

Events are read by every member of either party and recorded by the provider's authors,
exactly like the contract they belong to, so every queryset here starts from the contract
selectors of ``contracts.selectors.tenancy``.
"""

from __future__ import annotations

from django.db.models import QuerySet

from compliance.models import ApiToken, EventSource, ImportProfile, Incident, IncidentPause, Outage, WorkLog
from contracts.models import Contract, Membership, Organisation, Role
from contracts.selectors.tenancy import contracts_authored_by, contracts_for_user, organisations_authored_by


def incidents_for_user(user) -> QuerySet[Incident]:
    return Incident.objects.filter(contract__in=contracts_for_user(user))


def incidents_authored_by(user) -> QuerySet[Incident]:
    return Incident.objects.filter(contract__in=contracts_authored_by(user))


def incident_pauses_authored_by(user) -> QuerySet[IncidentPause]:
    return IncidentPause.objects.filter(incident__contract__in=contracts_authored_by(user))


def outages_for_user(user) -> QuerySet[Outage]:
    return Outage.objects.filter(contract__in=contracts_for_user(user))


def outages_authored_by(user) -> QuerySet[Outage]:
    return Outage.objects.filter(contract__in=contracts_authored_by(user))


def worklogs_for_user(user) -> QuerySet[WorkLog]:
    return WorkLog.objects.filter(contract__in=contracts_for_user(user))


def worklogs_authored_by(user) -> QuerySet[WorkLog]:
    return WorkLog.objects.filter(contract__in=contracts_authored_by(user))


def api_tokens_of(user) -> QuerySet[ApiToken]:
    """The user's own API tokens; nobody else's are reachable."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=user).select_related("organisation")


def contracts_with_sources_managed_by(user) -> QuerySet[Contract]:
    """Contracts whose event sources the user manages: those their organisation provides,
    when they are its admin."""
    if not user.is_authenticated:
        return Contract.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return Contract.objects.filter(provider__in=admin_of).select_related("provider", "customer")


def sources_managed_by(user) -> QuerySet[EventSource]:
    """Event sources of :func:`contracts_with_sources_managed_by`."""
    return EventSource.objects.filter(contract__in=contracts_with_sources_managed_by(user))


def organisations_with_sources_managed_by(user):
    """Provider organisations whose provider-wide sources the user manages: as their admin."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    admin_of = Membership.objects.filter(user=user, role=Role.ADMIN).values("organisation_id")
    return Organisation.objects.filter(pk__in=admin_of, is_provider=True)


def shared_sources_managed_by(user) -> QuerySet[EventSource]:
    """Provider-wide sources of :func:`organisations_with_sources_managed_by`."""
    return EventSource.objects.filter(organisation__in=organisations_with_sources_managed_by(user))


def import_profiles_authored_by(user) -> QuerySet[ImportProfile]:
    """Import profiles of the organisations in which the user records events (admin or author)."""
    return ImportProfile.objects.filter(organisation__in=organisations_authored_by(user).values("id"))


def import_profiles_for_contract(user, contract, kind: str | None = None) -> QuerySet[ImportProfile]:
    """The user's import profiles that serve ``contract``: those of its provider."""
    profiles = import_profiles_authored_by(user).filter(organisation=contract.provider_id)
    return profiles.filter(kind=kind) if kind else profiles
