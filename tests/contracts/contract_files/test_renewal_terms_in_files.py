"""Contract files carry the notice period and renewal term: exported, imported, checked."""

from datetime import date

import pytest

from contracts.models import Contract
from tests.contracts.contract_files.test_contract_files import export, import_text, problems_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def renewing(tenants) -> Contract:
    Contract.objects.filter(pk=tenants.contract.pk).update(
        end_date=date(2027, 12, 31), auto_renew=True, notice_period_days=45, renewal_months=24
    )
    tenants.contract.refresh_from_db()
    return tenants.contract


def test_the_renewal_terms_are_exported_and_imported(renewing):
    text = export(renewing)
    assert "auto_renew: true\nnotice_period_days: 45\nrenewal_months: 24\n" in text
    copy = import_text(text)
    assert (copy.end_date, copy.auto_renew, copy.notice_period_days, copy.renewal_months) == (
        date(2027, 12, 31),
        True,
        45,
        24,
    )


def test_a_file_without_them_takes_the_defaults(renewing):
    text = export(renewing).replace("notice_period_days: 45\n", "").replace("renewal_months: 24\n", "")
    copy = import_text(text)
    assert (copy.notice_period_days, copy.renewal_months) == (90, 12)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("notice_period_days: ninety", "notice_period_days"),
        ("notice_period_days: 800", "notice_period_days"),
        ("renewal_months: 0", "renewal_months"),
    ],
)
def test_bad_renewal_terms_are_reported_and_nothing_is_created(renewing, line, expected):
    key = line.split(":")[0]
    text = export(renewing)
    original = next(row for row in text.splitlines() if row.startswith(f"{key}:"))
    before = Contract.objects.count()
    problems = problems_of(text.replace(original, line))
    assert any(expected in problem for problem in problems), problems
    assert Contract.objects.count() == before
