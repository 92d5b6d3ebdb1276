"""A starter clause library for a provider: standard clauses in a legal and a plain rendering.

The texts use the names every version offers (``provider_name``, ``customer_name``,
``start_date``, ``dispute_window_days``, ``notice_period``, the blocks ``scope_list``,
``service_level_table``, ``maintenance_list``, ``responsibilities_list``, ``credit_table``;
``credit_cap``, ``hours_per_month``, ``hours_deficit_carry`` and ``responsibility_<key>`` when
the version has them) and these parameter names, which ``examples/contract.yaml`` defines:

==================== ============ =========================================================
name                 type         used by
==================== ============ =========================================================
uptime_target        percentage   availability
response_p1 … p3     duration     response-resolution (business hours)
resolution_p1 … p3   duration     response-resolution (business hours)
response_share       percentage   response-resolution: share of tickets answered in time
resolution_share     percentage   response-resolution: share of tickets resolved in time
report_days          integer      reporting
==================== ============ =========================================================

``licences-software`` needs the responsibilities ``licences`` and ``unauthorised_software``,
``risky-behaviour`` needs ``risky_behaviour``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from contracts import services
from contracts.models import ClauseCategory, ClauseTemplate, Organisation, User

#: Library categories in display order.
CATEGORIES = [
    "Scope",
    "Service levels",
    "Customer responsibilities",
    "Credits and hours",
    "Reporting and term",
    "Internal SLAs",
]


@dataclass(frozen=True)
class StarterClause:
    category: str
    key: str
    heading: str
    description: str
    legal_text: str
    plain_text: str


STARTER_CLAUSES = [
    StarterClause(
        "Scope",
        "parties",
        "Parties and purpose",
        "Opening clause of every external SLA.",
        (
            "This service level agreement (the “Agreement”, reference {{ contract_reference }}) is made "
            "between {{ provider_name }} (the “Provider”) and {{ customer_name }} (the “Customer”). It sets "
            "out the services the Provider delivers, the levels at which it delivers them, and the "
            "Customer's obligations, in return for a fee of {{ monthly_fee }} per calendar month."
        ),
        (
            "This is the agreement between {{ provider_name }} (us) and {{ customer_name }} (you). It says "
            "what we look after, how quickly and how well, what we need from you, and what it costs: "
            "{{ monthly_fee }} a month."
        ),
    ),
    StarterClause(
        "Scope",
        "scope",
        "Scope of services",
        "Lists the systems in scope and, as important, those out of scope.",
        (
            "The Provider shall manage, monitor and support the systems listed as in scope below. Systems "
            "listed as out of scope are excluded from this Agreement for the reason given.\n\n"
            "{{ scope_list }}"
        ),
        (
            "We look after the systems marked “in scope”. The ones marked “out of scope” are looked after "
            "by someone else, for the reason given.\n\n"
            "{{ scope_list }}"
        ),
    ),
    StarterClause(
        "Scope",
        "exclusions",
        "Exclusions",
        "Out-of-scope systems and third parties never count against the provider.",
        (
            "The Provider is not responsible for, and the service levels do not apply to: (a) systems "
            "listed as out of scope, including line-of-business software supported by its vendor and "
            "equipment maintained by its supplier; (b) failures of third-party networks or cloud services "
            "outside the Provider's control; (c) incidents caused by the Customer's breach of its "
            "obligations under this Agreement. Work on excluded matters is billable at the Provider's "
            "current rates when the Customer asks for it."
        ),
        (
            "Some things are not ours to fix: systems marked out of scope (for example software your "
            "vendor supports, or equipment your supplier maintains), outages at internet or cloud providers "
            "we don't control, and problems caused when you don't do your part. If you want our help "
            "with those anyway, we charge our normal rates."
        ),
    ),
    StarterClause(
        "Service levels",
        "availability",
        "Availability",
        "Monthly availability target for the services in scope.",
        (
            "The Provider shall ensure that the services in scope are available at least {{ uptime_target }} "
            "of each calendar month, measured 24 hours a day, 7 days a week, excluding planned maintenance "
            "windows and incidents excluded under this Agreement. The agreed service levels are:\n\n"
            "{{ service_level_table }}"
        ),
        (
            "Your systems will be up and running at least {{ uptime_target }} of every month, day and "
            "night. Planned maintenance and problems that aren't ours don't count. All our targets:\n\n"
            "{{ service_level_table }}"
        ),
    ),
    StarterClause(
        "Service levels",
        "response-resolution",
        "Response and resolution times",
        "P1–P3 first response and resolution targets in business hours.",
        (
            "The Provider shall respond to and resolve incidents within the following times, measured in "
            "business hours. At least {{ response_share }} of incidents of each priority shall receive a "
            "first "
            "response, and at least {{ resolution_share }} shall be resolved, within the stated time.\n\n"
            "| Priority | First response | Resolution |\n"
            "|---|---|---|\n"
            "| P1 — critical | {{ response_p1 }} | {{ resolution_p1 }} |\n"
            "| P2 — high | {{ response_p2 }} | {{ resolution_p2 }} |\n"
            "| P3 — normal | {{ response_p3 }} | {{ resolution_p3 }} |\n\n"
            "Time during which the Provider waits for the Customer does not count."
        ),
        (
            "When you report a problem, we answer and fix it within these times (business hours). We hit "
            "the answer time for at least {{ response_share }} of calls and the fix time for at least "
            "{{ resolution_share }}.\n\n"
            "| How urgent | We answer within | We fix within |\n"
            "|---|---|---|\n"
            "| P1 — work has stopped | {{ response_p1 }} | {{ resolution_p1 }} |\n"
            "| P2 — work is hampered | {{ response_p2 }} | {{ resolution_p2 }} |\n"
            "| P3 — everything else | {{ response_p3 }} | {{ resolution_p3 }} |\n\n"
            "The clock stops while we are waiting for you."
        ),
    ),
    StarterClause(
        "Service levels",
        "maintenance",
        "Planned maintenance",
        "Recurring maintenance windows, excluded from availability.",
        (
            "The Provider may carry out planned maintenance in the following windows. Unavailability "
            "during these windows does not count against the availability target. Maintenance outside "
            "these windows requires the Customer's consent given at least five business days in advance.\n\n"
            "{{ maintenance_list }}"
        ),
        (
            "We do updates and other planned work at these times, so it doesn't disturb your day. Any other "
            "time, we ask you first, at least a week ahead.\n\n"
            "{{ maintenance_list }}"
        ),
    ),
    StarterClause(
        "Customer responsibilities",
        "customer-responsibilities",
        "Customer responsibilities",
        "All of the customer's duties with their consequences, generated from the terms.",
        (
            "The Customer shall comply with the following obligations. Where an obligation is not met, "
            "the consequence stated applies; work arising from it is invoiced separately only where "
            "that consequence says so.\n\n"
            "{{ responsibilities_list }}"
        ),
        (
            "For us to deliver, we need you to do these things. If one isn't done, this is what happens:\n\n"
            "{{ responsibilities_list }}"
        ),
    ),
    StarterClause(
        "Customer responsibilities",
        "licences-software",
        "Licences and unauthorised software",
        "Needs the responsibilities licences and unauthorised_software (both: indemnify).",
        (
            "Licences. {{ responsibility_licences }}\n\n"
            "Unauthorised software. {{ responsibility_unauthorised_software }}\n\n"
            "The Customer shall indemnify and hold the Provider harmless against all claims, fines and "
            "costs arising from software installed at the Customer's request for which the Customer held "
            "no valid licence or which the Customer had not authorised."
        ),
        (
            "Licences: {{ responsibility_licences }}\n\n"
            "Software you ask us to install: {{ responsibility_unauthorised_software }}\n\n"
            "In short: if software turns out to be unlicensed or not allowed, that's your responsibility, "
            "and you cover any claims or fines, not us."
        ),
    ),
    StarterClause(
        "Customer responsibilities",
        "risky-behaviour",
        "Risky behaviour and liability",
        "Needs the responsibility risky_behaviour (exclude_from_sla; billable to invoice the work).",
        (
            "{{ responsibility_risky_behaviour }} The Customer is liable for the consequences of such "
            "behaviour."
        ),
        ("{{ responsibility_risky_behaviour }} If that happens, the outage is on you."),
    ),
    StarterClause(
        "Credits and hours",
        "service-credits",
        "Service credits",
        "Tiered credits for missed targets, with the monthly cap.",
        (
            "If a service level is not met in a calendar month, the Provider shall credit the Customer "
            "according to the schedule below, against the next invoice. Service credits are the Customer's "
            "sole financial remedy for missed service levels and are limited to {{ credit_cap }} "
            "per month.\n\n"
            "{{ credit_table }}"
        ),
        (
            "If we miss a target, you get money back on your next invoice, as below, up to "
            "{{ credit_cap }} in any month.\n\n"
            "{{ credit_table }}"
        ),
    ),
    StarterClause(
        "Credits and hours",
        "hours-bank",
        "Hours bank",
        "A monthly commitment of hours, with deficits carried over.",
        (
            "The Provider commits {{ hours_per_month }} of work per calendar month. Hours not delivered "
            "in a month are carried forward and shall be delivered within {{ hours_deficit_carry }}. The "
            "monthly report states the running balance."
        ),
        (
            "We work {{ hours_per_month }} a month for you. If we work less in a month, we make the hours up "
            "within {{ hours_deficit_carry }}. Your monthly report shows the balance."
        ),
    ),
    StarterClause(
        "Reporting and term",
        "reporting",
        "Reporting",
        "The monthly compliance report.",
        (
            "Within {{ report_days }} business days after the end of each calendar month the Provider shall "
            "make available a report stating, for each service level, the result achieved, every incident "
            "excluded and the clause excluding it, and the service credits owed. The Customer may "
            "acknowledge the report or dispute any item of it, with reasons, within "
            "{{ dispute_window_days }} after it is issued; thereafter the report is final."
        ),
        (
            "Within {{ report_days }} working days after each month you get a report: each target met or "
            "missed, anything we left out and why, and any money you get back. You have "
            "{{ dispute_window_days }} after we send it to accept it or tell us what you think is wrong; "
            "after that the month is final."
        ),
    ),
    StarterClause(
        "Reporting and term",
        "term-termination",
        "Term and termination",
        "Start, renewal and notice.",
        (
            "This Agreement commences on {{ start_date }} and continues until terminated by either party "
            "by written notice of {{ notice_period }}. Either party may terminate with immediate effect if "
            "the other materially breaches this Agreement and fails to remedy the breach within thirty days "
            "of notice."
        ),
        (
            "This agreement starts on {{ start_date }}. Either of us can end it by telling the other in "
            "writing, {{ notice_period }} ahead; sooner only if the other side seriously breaks it and "
            "doesn't put it right within a month."
        ),
    ),
    StarterClause(
        "Internal SLAs",
        "internal-sla",
        "Nature of this internal agreement",
        "Replaces “Parties and purpose” when both parties are departments of one company.",
        (
            "This internal service level agreement is made between {{ provider_name }} and "
            "{{ customer_name }}, departments of the same company. It records the service levels the "
            "providing department commits to and the receiving department's obligations. It is not a "
            "contract enforceable at law; disagreements are escalated to the heads of both departments "
            "and, failing agreement, to the management board. Missed targets are compensated in additional "
            "hours of work rather than money:\n\n"
            "{{ credit_table }}"
        ),
        (
            "This is an agreement between two teams in the same company: {{ provider_name }} and "
            "{{ customer_name }}. It isn't a legal contract; if we disagree, our two heads of department "
            "sort it out, or else the board. When we miss a target, we make up for it with extra hours of "
            "work:\n\n"
            "{{ credit_table }}"
        ),
    ),
]

#: Clause keys a typical external SLA takes from the library, in contract order.
EXTERNAL_SLA = [
    "parties",
    "scope",
    "exclusions",
    "availability",
    "response-resolution",
    "maintenance",
    "customer-responsibilities",
    "licences-software",
    "risky-behaviour",
    "service-credits",
    "hours-bank",
    "reporting",
    "term-termination",
]
#: The same for an internal SLA: the internal variant instead of parties and money clauses.
INTERNAL_SLA = [
    "internal-sla",
    "scope",
    "availability",
    "response-resolution",
    "maintenance",
    "customer-responsibilities",
    "reporting",
    "term-termination",
]


@transaction.atomic
def library_install_starter(*, owner: Organisation, user: User | None = None) -> list[ClauseTemplate]:
    """Add the starter categories and templates to a provider's library.

    Idempotent: a category or template whose name or key the library already has is left as
    it is (the provider may have edited it). Returns the templates in ``STARTER_CLAUSES`` order.
    """

    categories = {c.name: c for c in ClauseCategory.objects.filter(owner=owner)}
    for position, name in enumerate(CATEGORIES, start=1):
        if name not in categories:
            categories[name] = services.clause_category_create(owner=owner, name=name, position=position)
    existing = {t.key: t for t in ClauseTemplate.objects.filter(owner=owner)}
    templates = []
    for clause in STARTER_CLAUSES:
        template = existing.get(clause.key)
        if template is None:
            template = services.clause_template_create(
                owner=owner,
                category=categories[clause.category],
                key=clause.key,
                heading=clause.heading,
                legal_text=clause.legal_text,
                plain_text=clause.plain_text,
                description=clause.description,
                user=user,
            )
        templates.append(template)
    return templates
