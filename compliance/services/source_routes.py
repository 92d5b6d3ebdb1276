"""Provider-wide event sources: one URL for all of a provider's contracts, with routes.

A provider-wide source belongs to the provider organisation. Each route says which value of
the source's route field names which contract (an Alertmanager label such as ``customer``, a
Zammad organisation name, a Jira project key, an Uptime Kuma monitor name …), and carries
that contract's service mapping. Only contracts the organisation provides can be routed to.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from compliance.models import EventSource, SourceKind, SourceRoute
from compliance.selectors.events import event_terms
from compliance.services.payloads import PayloadRefused
from compliance.services.sources import source_default_mapping, source_new, source_update
from contracts.models import Contract, Organisation

# Where each tool's payload names the contract: a label of each alert (Alertmanager,
# Grafana, Zabbix tags) or a dotted path into the body (the others).
DEFAULT_ROUTE_FIELD = {
    SourceKind.ALERTMANAGER: "contract",
    SourceKind.GRAFANA: "contract",
    SourceKind.ZABBIX: "contract",
    SourceKind.UPTIME_KUMA: "monitor.name",
    SourceKind.JSON: "contract",
    SourceKind.TICKETS: "ticket.contract",
    SourceKind.ZAMMAD: "ticket.organization.name",
    SourceKind.JIRA: "issue.fields.project.key",
}
LABEL_ROUTED = (SourceKind.ALERTMANAGER, SourceKind.GRAFANA)


def shared_source_create(
    *,
    organisation: Organisation,
    user,
    kind: str,
    name: str,
    route_field: str = "",
    rate_limit: int = 600,
) -> EventSource:
    """A new provider-wide source of ``organisation`` with a fresh URL token and secret; its
    alerts or tickets reach no contract until routes are added."""
    if not organisation.is_provider:
        raise ValidationError({"organisation": "Only a provider organisation can own event sources."})
    mapping = source_default_mapping(kind) if kind in SourceKind.values else {}
    mapping.pop("services", None)
    mapping.pop("default_service", None)
    mapping["route_field"] = (route_field or "").strip() or DEFAULT_ROUTE_FIELD.get(kind, "contract")
    return source_new(
        owner={"organisation": organisation},
        user=user,
        kind=kind,
        name=name,
        mapping=mapping,
        rate_limit=rate_limit,
    )


def shared_source_update(*, source: EventSource, name: str, route_field: str, rate_limit: int) -> EventSource:
    """Rename a provider-wide source, or change where its payloads name the contract or how
    many deliveries a minute it accepts; its URL, secret and routes stay."""
    mapping = {**source.mapping, "route_field": route_field.strip()}
    if not mapping["route_field"]:
        raise ValidationError({"route_field": "Say where a payload names the contract."})
    return source_update(source=source, name=name, mapping=mapping, rate_limit=rate_limit)


def route_save(
    *,
    source: EventSource,
    match_value: str,
    contract: Contract,
    services: Mapping[str, str] | None = None,
    default_service: str = "",
) -> SourceRoute:
    """Route ``match_value`` of the provider-wide ``source`` to ``contract`` with its service
    mapping (replacing the route of that value if there is one). The contract must be one the
    source's organisation provides; the services must be the contract's."""
    errors: dict[str, Any] = {}
    value = (match_value or "").strip()
    if not source.is_shared:
        raise ValidationError("Only a provider-wide source has routes.")
    if not value:
        errors["match_value"] = "Give the value that names this contract, e.g. the label's value."
    if contract.provider_id != source.organisation_id:
        errors["contract"] = "Choose a contract your organisation provides."
    else:
        known = set(event_terms(contract).services)
        services = dict(services or {})
        wrong = sorted({name for name in [*services.values(), default_service] if name and name not in known})
        if wrong:
            errors["services"] = (
                f"Not a service of {contract.reference}: {', '.join(wrong)} "
                f"(choose from: {', '.join(sorted(known))})."
            )
    if errors:
        raise ValidationError(errors)
    mapping = {"services": dict(services or {}), "default_service": default_service or ""}
    try:
        with transaction.atomic():
            route, _ = SourceRoute.objects.update_or_create(
                source=source, match_value=value[:200], defaults={"contract": contract, "mapping": mapping}
            )
    except IntegrityError:
        raise ValidationError({"match_value": "This value already has a route."}) from None
    return route


def route_delete(*, route: SourceRoute) -> None:
    """Remove a route: that value's deliveries are refused from now on; events stay."""
    route.delete()


# ---------------------------------------------------------------- routing deliveries


def value_at(data: Any, path: str) -> str:
    """The text at the dotted ``path`` of a JSON body (a number is read as its text); empty
    when any step is missing."""
    current = data
    for step in path.split("."):
        if isinstance(current, dict):
            current = current.get(step)
        elif isinstance(current, list) and step.isdigit() and int(step) < len(current):
            current = current[int(step)]
        else:
            return ""
    if isinstance(current, bool) or current is None or isinstance(current, dict | list):
        return ""
    return str(current).strip()


def routes_of(source: EventSource) -> dict[str, SourceRoute]:
    """The source's routes by value (one query, with their contracts)."""
    return {route.match_value: route for route in source.routes.select_related("contract")}


def route_match(routes: dict[str, SourceRoute], value: str, field: str, what: str) -> SourceRoute:
    """The route of ``value`` (exact, else ignoring case), or :class:`PayloadRefused` saying
    which value matched no contract."""
    route = routes.get(value)
    if route is None:
        folded = {key.casefold(): route for key, route in routes.items()}
        route = folded.get(value.casefold())
    if route is None:
        shown = f"“{value}”" if value else "no value"
        raise PayloadRefused(
            f"{what} has {shown} in “{field}”, which matches no contract of this provider-wide "
            "source; add a route for it. Nothing was applied."
        )
    return route


def routed(source: EventSource, route: SourceRoute) -> EventSource:
    """The source as it applies to the route's contract: the same row (events keep it as
    their origin) seen with the contract and its service mapping; never saved."""
    view = EventSource(
        pk=source.pk,
        contract=route.contract,
        kind=source.kind,
        name=source.name,
        token=source.token,
        secret=source.secret,
        paused=source.paused,
        rate_limit=source.rate_limit,
        mapping={**(source.mapping or {}), **(route.mapping or {})},
    )
    return view
