"""Sample values for previewing a clause template outside any contract.

A template is written for many contracts, so its preview fills the names every version
offers with believable sample values and blocks (built by ``terms_display`` from sample
rows, exactly as a real version's are). Any other well-formed name, such as a parameter
like ``uptime_target``, shows as ``[uptime_target]``: unknown names are fine in a template,
only malformed placeholders are errors.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from decimal import Decimal
from types import SimpleNamespace

from contracts import blocks
from contracts.texts import wording
from contracts.texts.rendering import Rendered, Value, find_placeholders, render_clause

CURRENCY = "EUR"


@dataclass(frozen=True)
class _SampleParameter:
    kind: str
    value: object
    business_time: bool = False

    def display(self, *, currency: str = CURRENCY) -> str:
        return wording.format_parameter(
            self.kind, self.value, currency=currency, business_time=self.business_time
        )


def _blocks() -> dict[str, Value]:
    services = [
        SimpleNamespace(name="Email", in_scope=True, out_of_scope_reason=""),
        SimpleNamespace(name="File server", in_scope=True, out_of_scope_reason=""),
        SimpleNamespace(
            name="Copier", in_scope=False, out_of_scope_reason="maintained by the copier supplier"
        ),
    ]
    responsibilities = [
        SimpleNamespace(duty="The customer renews its own software licences", consequence="indemnify"),
        SimpleNamespace(duty="The customer gives timely access to its systems", consequence="pause_clock"),
    ]
    windows = [SimpleNamespace(weekday=6, start=time(2, 0), duration_minutes=240, description="patches")]
    calendar = SimpleNamespace(around_the_clock=True, hours={}, holiday_country="", holiday_subdivision="")
    availability = SimpleNamespace(
        name="Availability",
        service_id=None,
        priority="",
        calendar_id=1,
        calendar=calendar,
        target=_SampleParameter("percentage", Decimal("99.9")),
        share_id=None,
    )
    tiers = [
        SimpleNamespace(below=Decimal("99.9"), kind="percent_of_fee", value=Decimal("10")),
        SimpleNamespace(below=Decimal("99.0"), kind="percent_of_fee", value=Decimal("25")),
    ]
    cap = SimpleNamespace(kind="percent_of_fee", value=Decimal("50"))
    return {
        "scope_list": blocks.scope_list(services),
        "responsibilities_list": blocks.responsibilities_list(responsibilities),
        "maintenance_list": blocks.maintenance_list(windows, time_zone="Europe/Amsterdam"),
        "service_level_table": blocks.service_level_table([availability], currency=CURRENCY),
        "credit_table": blocks.credit_table([(availability, tiers)], cap=cap, currency=CURRENCY),
    }


def sample_values(*, provider_name: str) -> dict[str, Value]:
    """The names every version offers, with sample values; the provider is the library's owner."""
    return {
        "provider_name": provider_name,
        "customer_name": "Example Customer Ltd",
        "contract_reference": "SLA-2026-0001",
        "contract_title": "Managed IT services",
        "start_date": "1 January 2026",
        "end_date": "31 December 2027",
        "monthly_fee": wording.format_money(Decimal("1000"), CURRENCY),
        "currency": CURRENCY,
        "time_zone": "Europe/Amsterdam",
        "notice_period": wording.format_days(90),
        "renewal_term": wording.format_months(12, unlimited=""),
        "credit_cap": wording.format_cap("percent_of_fee", Decimal("50"), CURRENCY),
        "hours_per_month": wording.format_hours(Decimal("20")),
        "hours_deficit_carry": wording.format_months(3, unlimited="without limit"),
        "hours_surplus_carry": wording.format_months(0, unlimited="without limit"),
        **_blocks(),
    }


@dataclass(frozen=True)
class TemplatePreview:
    legal: Rendered
    plain: Rendered
    #: Well-formed names the texts use that only a contract can fill (parameters, responsibilities).
    contract_names: list[str]
    #: Every well-formed name the texts use, in order of first use.
    names: list[str]

    @property
    def errors(self):
        return [*self.legal.errors, *self.plain.errors]


def template_preview(*, legal_text: str, plain_text: str, provider_name: str) -> TemplatePreview:
    """Both texts rendered with sample values; unknown well-formed names show as ``[name]``."""
    values = sample_values(provider_name=provider_name)
    names: list[str] = []
    for text in (legal_text, plain_text):
        for placeholder in find_placeholders(text):
            if placeholder.name and placeholder.name not in names:
                names.append(placeholder.name)
    contract_names = [name for name in names if name not in values]
    values.update({name: f"[{name}]" for name in contract_names})
    return TemplatePreview(
        legal=render_clause(legal_text, values),
        plain=render_clause(plain_text, values),
        contract_names=contract_names,
        names=names,
    )
