"""Small factories for the suite's objects; every argument has a sensible default."""

import itertools
from datetime import date
from decimal import Decimal

from contracts import services
from contracts.models import Contract, Membership, Organisation, Role, User

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)


def organisation(
    name: str | None = None, *, parent: Organisation | None = None, is_provider=False
) -> Organisation:
    n = next(_seq)
    name = name or f"Organisation {n}"
    slug = f"{name.lower().replace(' ', '-')[:60]}-{n}"
    return Organisation.objects.create(name=name, slug=slug, parent=parent, is_provider=is_provider)


def user(email: str | None = None, **fields) -> User:
    email = email or f"person{next(_seq)}@example.com"
    fields.setdefault("first_name", email.split("@")[0].title())
    return User.objects.create_user(email=email, password=PASSWORD, **fields)


def member(org: Organisation, role: str = Role.VIEWER, email: str | None = None, **fields) -> User:
    person = user(email)
    Membership.objects.create(user=person, organisation=org, role=role, **fields)
    return person


def contract(provider: Organisation, customer: Organisation, **fields) -> Contract:
    fields.setdefault("title", f"Contract {next(_seq)}")
    fields.setdefault("start_date", date(2026, 1, 1))
    fields.setdefault("monthly_fee", Decimal("1000.00"))
    return services.contract_create(provider=provider, customer=customer, **fields)


def version_with_terms(contract: Contract, *, user: User | None = None):
    """A realistic draft version of ``contract``, consistent in both renderings.

    Parameters uptime_target 99.9 %, response_p1 60 min and resolution_p1 240 min (business
    hours), response_p1_share 95 %, monthly_fee; services Email and File server in scope,
    the copier out; a 24×7 calendar and business hours Mon–Fri 09:00–17:00 with NL holidays;
    service levels availability (24×7, tiers below 99.9/99.0/95.0 → 10/25/100 % of the fee)
    and P1 first response (business hours, 95 % of tickets); a 50 % cap; 20 h/month with a
    3-month deficit carry; responsibilities licences (indemnify) and risky behaviour
    (exclude_from_sla); three clauses, the service level table and the credit table in the second.
    """
    version = services.version_create_draft(contract=contract, user=user, note="First draft")
    uptime = services.parameter_set(version=version, name="uptime_target", kind="percentage", value="99.9")
    response = services.parameter_set(
        version=version, name="response_p1", kind="duration", value=60, business_time=True
    )
    services.parameter_set(
        version=version, name="resolution_p1", kind="duration", value=240, business_time=True
    )
    share = services.parameter_set(version=version, name="response_p1_share", kind="percentage", value="95")
    services.parameter_set(version=version, name="monthly_fee", kind="money", value=contract.monthly_fee)
    services.service_create(version=version, name="Email")
    services.service_create(version=version, name="File server")
    services.service_create(
        version=version,
        name="Copier",
        in_scope=False,
        out_of_scope_reason="supported by the copier supplier under its own contract",
    )
    around_the_clock = services.calendar_create(version=version, name="24×7", around_the_clock=True)
    business_hours = services.calendar_create(
        version=version,
        name="Business hours",
        hours=dict.fromkeys(range(5), "09:00-17:00"),
        holiday_country="NL",
    )
    availability = services.service_level_create(
        version=version,
        key="availability",
        name="Availability",
        metric="availability",
        target=uptime,
        calendar=around_the_clock,
    )
    services.service_level_create(
        version=version,
        key="response_p1",
        name="First response to P1 incidents",
        metric="first_response",
        priority="P1",
        target=response,
        share=share,
        calendar=business_hours,
    )
    services.credit_tiers_set(
        service_level=availability,
        tiers=[
            ("99.9", "percent_of_fee", "10"),
            ("99.0", "percent_of_fee", "25"),
            ("95.0", "percent_of_fee", "100"),
        ],
    )
    services.credit_cap_set(version=version, kind="percent_of_fee", value="50")
    services.hours_commitment_set(version=version, hours_per_month=20, deficit_carry_months=3)
    services.responsibility_create(
        version=version,
        key="licences",
        duty="The customer obtains and renews the licences of all software it uses",
        category="licences",
        consequence="indemnify",
    )
    services.responsibility_create(
        version=version,
        key="risky_behaviour",
        duty="The customer does not install defective applications or behave riskily",
        category="security_practice",
        consequence="exclude_from_sla",
    )
    services.clause_add(
        version=version,
        heading="Scope",
        legal_text=(
            "{{ provider_name }} shall provide the services listed below to {{ customer_name }}, and "
            "{{ hours_per_month }} of work per month; hours not delivered shall be made up within "
            "{{ hours_deficit_carry }}.\n\n{{ scope_list }}"
        ),
        plain_text=(
            "We look after these systems for you, not the ones marked out of scope, and work "
            "{{ hours_per_month }} a month for you; hours we miss are made up within "
            "{{ hours_deficit_carry }}.\n\n{{ scope_list }}"
        ),
    )
    services.clause_add(
        version=version,
        heading="Service levels and credits",
        legal_text=(
            "Availability shall be at least {{ uptime_target }} per calendar month. The Provider shall "
            "respond to {{ response_p1_share }} of P1 incidents within {{ response_p1 }} and resolve them "
            "within {{ resolution_p1 }}, for a fee of {{ monthly_fee }} per month.\n\n"
            "{{ service_level_table }}\n\n{{ credit_table }}"
        ),
        plain_text=(
            "Your systems are up at least {{ uptime_target }} of the month. We answer "
            "{{ response_p1_share }} of urgent calls within {{ response_p1 }} and fix them within "
            "{{ resolution_p1 }}. You pay {{ monthly_fee }} a month.\n\n"
            "{{ service_level_table }}\n\n{{ credit_table }}"
        ),
    )
    services.clause_add(
        version=version,
        heading="Customer responsibilities",
        legal_text="The Customer shall comply with the following obligations:\n\n{{ responsibilities_list }}",
        plain_text="What we need from you:\n\n{{ responsibilities_list }}",
    )
    return version


def maintenance_window_shown(version, **fields):
    """A maintenance window on a ``version_with_terms`` draft, listed in its service levels clause
    (``{{ maintenance_list }}`` in both renderings), as a window the engine measures must be."""
    window = services.maintenance_window_create(version=version, **fields)
    clause = version.clauses.get(heading="Service levels and credits")
    if "{{ maintenance_list }}" not in clause.legal_text:
        services.clause_update(
            clause=clause,
            data={
                "legal_text": clause.legal_text + "\n\n{{ maintenance_list }}",
                "plain_text": clause.plain_text + "\n\n{{ maintenance_list }}",
            },
        )
    return window
