"""Demo data: a provider MSP, two customers, an internal IT → Finance pair, users for each role.

Each provider gets the starter clause library; each contract a version with terms and
clauses: Harbour Dental's is imported from ``examples/contract.yaml`` (signed outside the
portal) and has a second draft raising the availability target, so the redline has
something to show; the others are built from the same terms with clauses from the library.

Idempotent: running it again updates the same rows and creates nothing twice.
"""

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from contracts import services
from contracts.contract_files.export import ContractDocument, ServiceItem
from contracts.contract_files.parse import parse_contract_file
from contracts.library.starter import EXTERNAL_SLA, INTERNAL_SLA, library_install_starter
from contracts.models import ClauseTemplate, Contract, Organisation, Role, User, Version
from contracts.models.contract import ContractStatus
from contracts.services.imports import PartyChoice, contract_import, version_fill

DEMO_PASSWORD = "demo-sla-portal"  # noqa: S105 - published demo logins
# Runs the portal (Django admin at /admin/); belongs to no organisation.
OPERATOR_EMAIL = "operator@sla-portal.example"


@dataclass(frozen=True)
class DemoUser:
    email: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    receives_reports: bool = False


ORGANISATIONS = [
    # slug, name, parent slug, provides services
    ("brightline", "Brightline Managed IT", None, True),
    ("harbour-dental", "Harbour Dental Group", None, False),
    ("northwind", "Northwind Logistics", None, False),
    ("acme", "Acme Manufacturing", None, False),
    ("acme-it", "Acme Manufacturing — IT department", "acme", True),
    ("acme-finance", "Acme Manufacturing — Finance department", "acme", False),
]

USERS = [
    DemoUser("admin@brightline.example", "Alice", "Admin", "brightline", Role.ADMIN),
    DemoUser("author@brightline.example", "Arthur", "Author", "brightline", Role.AUTHOR),
    DemoUser("signer@brightline.example", "Sigrid", "Signer", "brightline", Role.SIGNER),
    DemoUser("viewer@brightline.example", "Victor", "Viewer", "brightline", Role.VIEWER),
    DemoUser("admin@harbour-dental.example", "Hannah", "Harbour", "harbour-dental", Role.ADMIN, True),
    DemoUser("signer@harbour-dental.example", "Sam", "Sealy", "harbour-dental", Role.SIGNER),
    DemoUser("viewer@harbour-dental.example", "Vera", "Vance", "harbour-dental", Role.VIEWER, True),
    DemoUser("admin@northwind.example", "Nora", "North", "northwind", Role.ADMIN, True),
    DemoUser("signer@northwind.example", "Nils", "Wind", "northwind", Role.SIGNER),
    DemoUser("it@acme.example", "Ian", "Tech", "acme-it", Role.ADMIN),
    DemoUser("finance@acme.example", "Fiona", "Ledger", "acme-finance", Role.ADMIN, True),
]

EXAMPLES = Path(settings.BASE_DIR) / "examples"
HARBOUR_TITLE = "Managed IT for Harbour Dental clinics"

CONTRACTS = [
    # provider, customer, title, fee, start, status
    (
        "brightline",
        "harbour-dental",
        "Managed IT for Harbour Dental clinics",
        "4200.00",
        date(2026, 1, 1),
        ContractStatus.ACTIVE,
    ),
    (
        "brightline",
        "northwind",
        "Network and server management",
        "2750.00",
        date(2026, 3, 1),
        ContractStatus.ACTIVE,
    ),
    (
        "brightline",
        "northwind",
        "Warehouse Wi-Fi support (renewal)",
        "900.00",
        date(2027, 1, 1),
        ContractStatus.DRAFT,
    ),
    (
        "acme-it",
        "acme-finance",
        "Finance systems internal SLA",
        "0.00",
        date(2026, 1, 1),
        ContractStatus.ACTIVE,
    ),
]


@transaction.atomic
def seed_demo() -> list[DemoUser]:
    """Create or update the demo data; returns the demo users (all share DEMO_PASSWORD)."""
    orgs: dict[str, Organisation] = {}
    for slug, name, parent, is_provider in ORGANISATIONS:
        orgs[slug], _ = Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "parent": orgs.get(parent), "is_provider": is_provider}
        )
    # One hash for every demo login: hashing is deliberately slow, and these passwords are public.
    password = make_password(DEMO_PASSWORD)
    for demo in USERS:
        user = User.objects.filter(email=demo.email).first()
        if user is None:
            user = User.objects.create_user(email=demo.email)
        user.first_name, user.last_name = demo.first_name, demo.last_name
        user.password = password
        user.save()
        services.membership_set(
            user=user,
            organisation=orgs[demo.organisation],
            role=demo.role,
            receives_reports=demo.receives_reports,
        )
    operator = User.objects.filter(email=OPERATOR_EMAIL).first() or User.objects.create_superuser(
        email=OPERATOR_EMAIL
    )
    operator.first_name, operator.last_name = "Portal", "Operator"
    operator.password = password
    operator.save()
    author = User.objects.get(email="author@brightline.example")
    it_admin = User.objects.get(email="it@acme.example")
    libraries = {
        "brightline": _library(orgs["brightline"], author),
        "acme-it": _library(orgs["acme-it"], it_admin),
    }
    for provider, customer, title, fee, start, status in CONTRACTS:
        existing = Contract.objects.filter(
            provider=orgs[provider], customer=orgs[customer], title=title
        ).first()
        user = author if provider == "brightline" else it_admin
        if existing is None and title == HARBOUR_TITLE:
            _import_harbour(orgs, author)
            continue
        if existing is None:
            existing = services.contract_create(
                provider=orgs[provider],
                customer=orgs[customer],
                title=title,
                monthly_fee=Decimal(fee),
                start_date=start,
                status=status,
                created_by=author,
            )
        if Version.objects.filter(contract=existing).exists():
            continue
        if title == HARBOUR_TITLE:  # created by an earlier demo seed, before versions existed
            _harbour_versions(existing, author)
        else:
            _first_version(existing, libraries[provider], user)
    return USERS


# ---------------------------------------------------------------- versions of the demo contracts


def _library(owner: Organisation, user: User) -> dict[str, ClauseTemplate]:
    return {template.key: template for template in library_install_starter(owner=owner, user=user)}


@cache
def _example(name: str) -> ContractDocument:
    return parse_contract_file((EXAMPLES / name).read_text(encoding="utf-8"))


def _services(*rows: tuple[str, str]) -> list[ServiceItem]:
    """In-scope services by name; ``(name, reason)`` with a reason is out of scope."""
    return [ServiceItem(name=name, in_scope=not reason, out_of_scope_reason=reason) for name, reason in rows]


#: Per demo contract (by title): its scope, and whether it commits hours.
DEMO_TERMS = {
    "Network and server management": (
        _services(
            ("Core network and firewalls", ""),
            ("Servers and storage", ""),
            ("Backups", ""),
            ("Warehouse management system", "hosted and supported by its vendor"),
        ),
        True,
    ),
    "Warehouse Wi-Fi support (renewal)": (
        _services(
            ("Warehouse Wi-Fi access points", ""),
            ("Wi-Fi controller", ""),
            ("Handheld scanners", "maintained by the scanner supplier under its own contract"),
        ),
        False,
    ),
}


def _document_for(contract: Contract) -> tuple[ContractDocument, list[str]]:
    """The terms of a demo contract and the library clauses (by key) it uses."""
    if contract.is_internal:
        return _example("internal-sla.yaml"), INTERNAL_SLA
    scope, hours = DEMO_TERMS[contract.title]
    example = _example("contract.yaml")
    # The example is the dental group's: Northwind keeps office hours and has sites, not clinics.
    office = {"Clinic hours": "Office hours"}
    document = replace(
        example,
        services=scope,
        # The backups clause is the example's own; library clauses do not use its parameter.
        parameters=[p for p in example.parameters if p.name != "backup_retention_days"],
        hours_commitment=example.hours_commitment if hours else None,
        calendars=[replace(c, name=office.get(c.name, c.name)) for c in example.calendars],
        service_levels=[
            replace(level, calendar=office.get(level.calendar, level.calendar))
            for level in example.service_levels
        ],
        responsibilities=[
            replace(r, duty=r.duty.replace("its clinics", "its sites")) for r in example.responsibilities
        ],
    )
    keys = EXTERNAL_SLA if hours else [key for key in EXTERNAL_SLA if key != "hours-bank"]
    return document, keys


def _first_version(contract: Contract, library: dict[str, ClauseTemplate], user: User) -> Version:
    """Version 1 with the library's clauses and the demo terms; published and in force when
    the contract is active (signed outside the portal on its start date)."""
    document, keys = _document_for(contract)
    version = services.version_create_draft(
        contract=contract, user=user, note="First version.", templates=[library[key] for key in keys]
    )
    problems = version_fill(version=version, document=document, clauses=False)
    if problems:  # the demo's own data: a mistake here is a bug, not user input
        raise ValueError("; ".join(str(p) for p in problems))
    if contract.status == ContractStatus.ACTIVE:
        _sign_outside_portal(version, user, contract.start_date)
    return version


def _sign_outside_portal(version: Version, user: User, on: date) -> None:
    version = services.version_publish(version=version, user=user)
    version.signed_outside_portal, version.in_force_from = True, on
    version.save(update_fields=["signed_outside_portal", "in_force_from"])


def _import_harbour(orgs: dict[str, Organisation], author: User) -> Contract:
    """Harbour Dental's contract straight from the example file, then a draft version 2."""
    contract = contract_import(
        document=_example("contract.yaml"),
        provider=PartyChoice(Organisation.objects.filter(pk=orgs["brightline"].pk)),
        customer=PartyChoice(Organisation.objects.filter(pk=orgs["harbour-dental"].pk)),
        user=author,
        file_name="contract.yaml",
        signed_on=date(2026, 1, 1),
    )
    _harbour_draft(contract, author)
    return contract


def _harbour_versions(contract: Contract, author: User) -> None:
    """Version 1 from the example file, in force from the start date, then the draft."""
    version = services.version_create_draft(contract=contract, user=author, note="First version.")
    problems = version_fill(version=version, document=_example("contract.yaml"))
    if problems:  # the demo's own data: a mistake here is a bug, not user input
        raise ValueError("; ".join(str(p) for p in problems))
    _sign_outside_portal(version, author, contract.start_date)
    _harbour_draft(contract, author)


def _harbour_draft(contract: Contract, author: User) -> None:
    draft = services.version_create_draft(
        contract=contract, user=author, note="Raise the availability target to 99.95% for the new clinic."
    )
    uptime = draft.parameters.get(name="uptime_target")
    services.parameter_set(
        version=draft,
        name="uptime_target",
        kind=uptime.kind,
        value="99.95",
        description=uptime.description,
    )
