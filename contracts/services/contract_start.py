"""Starting a contract from the authoring screens: customer, contract and draft version 1 at once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from contracts.contract_files.export import ContractFileInvalid
from contracts.contract_files.parse import parse_contract_file
from contracts.models import ClauseTemplate, Contract, Organisation, Role, User
from contracts.services.contracts import contract_create
from contracts.services.imports import version_fill
from contracts.services.parties import invitation_create, organisation_create
from contracts.services.versions import contract_create_from, version_create_draft


def _free_slug(name: str) -> str:
    base = (slugify(name) or "organisation")[:70]
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def customer_create(*, name: str, invited_by: User, contact_email: str = "") -> Organisation:
    """A new customer organisation; ``contact_email`` (optional) is invited as its admin and
    receives the monthly reports. The email goes out once the transaction commits."""
    customer = organisation_create(name=name.strip(), slug=_free_slug(name))
    if contact_email:
        invitation_create(
            organisation=customer,
            email=contact_email,
            role=Role.ADMIN,
            receives_reports=True,
            invited_by=invited_by,
        )
    return customer


class AgreementSource(Protocol):
    """What a contract starts from: a name and a contract file's text, as starter agreements
    and saved ``AgreementTemplate`` rows offer them."""

    name: str
    text: str


@dataclass(frozen=True)
class AgreementChoice:
    name: str
    text: str


@transaction.atomic
def contract_start(
    *,
    user: User,
    provider: Organisation,
    title: str,
    start_date: date,
    currency: str,
    monthly_fee: Decimal,
    time_zone: str,
    end_date: date | None = None,
    auto_renew: bool = False,
    reports_issued_automatically: bool = False,
    customer: Organisation | None = None,
    new_customer_name: str = "",
    new_customer_email: str = "",
    source: Contract | None = None,
    templates: Sequence[ClauseTemplate] = (),
    dispute_window_days: int = 14,
    agreement: AgreementSource | None = None,
    notice_period_days: int | None = None,
    renewal_months: int | None = None,
) -> Contract:
    """Create a contract with its draft version 1, in one transaction.

    The customer is an existing organisation or a new one named ``new_customer_name``.
    Version 1 is a copy of the latest version of ``source`` (another contract of the same
    provider), or the clauses in order and the terms of ``agreement`` (a starter or saved
    agreement template; an empty ``title`` takes the template's), or holds clauses copied
    from ``templates`` (the provider's library), or is empty. The contract's own values
    (fee, currency, time zone, term) are the ones given, also when copying. Nothing is
    created when any step is refused. The notice period and renewal term not given are the
    agreement template's or the copied contract's, else 90 days and 12 months.
    """
    if source is not None and source.provider_id != provider.pk:
        raise ValidationError({"source": "Copy a contract of the same provider."})
    if any(t.owner_id != provider.pk for t in templates):
        raise ValidationError({"templates": "Choose clauses from the provider's own library."})
    if customer is None:
        if not new_customer_name.strip():
            raise ValidationError({"customer": "Choose a customer or name a new one."})
        customer = customer_create(name=new_customer_name, invited_by=user, contact_email=new_customer_email)
    if agreement is not None:
        document = parse_contract_file(agreement.text)
        title = title.strip() or document.title
    template = document if agreement is not None else source
    if notice_period_days is None:
        notice_period_days = template.notice_period_days if template is not None else 90
    if renewal_months is None:
        renewal_months = template.renewal_months if template is not None else 12
    if source is None:
        contract = contract_create(
            provider=provider,
            customer=customer,
            title=title,
            start_date=start_date,
            end_date=end_date,
            auto_renew=auto_renew,
            reports_issued_automatically=reports_issued_automatically,
            currency=currency,
            monthly_fee=monthly_fee,
            time_zone=time_zone,
            created_by=user,
            dispute_window_days=dispute_window_days,
            notice_period_days=notice_period_days,
            renewal_months=renewal_months,
        )
        if agreement is None:
            version_create_draft(contract=contract, user=user, templates=templates)
            return contract
        note = f"Started from the agreement template “{agreement.name}”."
        version = version_create_draft(contract=contract, user=user, note=note)
        problems = version_fill(version=version, document=document)
        if problems:
            raise ContractFileInvalid(problems)
        return contract
    contract = contract_create_from(
        source=source, customer=customer, title=title, user=user, start_date=start_date
    )
    contract.currency, contract.monthly_fee, contract.time_zone = currency, monthly_fee, time_zone
    contract.end_date, contract.auto_renew = end_date, auto_renew
    contract.reports_issued_automatically = reports_issued_automatically
    contract.dispute_window_days = dispute_window_days
    contract.notice_period_days, contract.renewal_months = notice_period_days, renewal_months
    contract.full_clean()
    contract.save()
    return contract
