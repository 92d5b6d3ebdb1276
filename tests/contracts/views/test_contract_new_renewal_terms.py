"""A new contract takes its notice period and renewal term from the form; the contract page
shows them."""

import pytest

from contracts.models import Contract
from tests.contracts.views.test_editor_create import NEW, author, form_data  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


def test_a_new_contract_takes_the_renewal_terms_given(author, tenants):  # noqa: F811
    data = form_data(customer=tenants.customer.pk, notice_period_days="60", renewal_months="6")
    response = author.post(NEW, data)
    assert response.status_code == 302
    contract = Contract.objects.get(title="Managed workplace")
    assert (contract.notice_period_days, contract.renewal_months, contract.auto_renew) == (60, 6, True)
    page = author.get(f"/contracts/{contract.reference}/").content.decode()
    # The term ends 28 February 2027: notice is due 60 days before, by 30 December 2026.
    assert "60 days before the end (notice due by 30 December 2026)" in page and "6 months" in page


def test_left_empty_they_are_90_days_and_12_months(author, tenants):  # noqa: F811
    author.post(NEW, form_data(customer=tenants.customer.pk))
    contract = Contract.objects.get(title="Managed workplace")
    assert (contract.notice_period_days, contract.renewal_months) == (90, 12)


@pytest.mark.parametrize(("field", "value"), [("notice_period_days", "-5"), ("renewal_months", "0")])
def test_a_bad_renewal_term_re_renders_the_form_with_the_error(author, tenants, field, value):  # noqa: F811
    response = author.post(NEW, form_data(customer=tenants.customer.pk, **{field: value}))
    assert response.status_code == 400
    assert "greater than or equal to" in response.content.decode()
    assert not Contract.objects.filter(title="Managed workplace").exists()


def test_left_empty_they_are_the_agreement_templates(author, tenants):  # noqa: F811
    # The starter internal SLA gives one month's notice: 30 days.
    data = form_data(
        customer=tenants.customer.pk, start_from="agreement", agreement="starter:internal-sla", title=""
    )
    response = author.post(NEW, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    contract = Contract.objects.latest("pk")
    assert (contract.notice_period_days, contract.renewal_months) == (30, 12)


def test_left_empty_they_are_the_copied_contracts(author, tenants):  # noqa: F811
    Contract.objects.filter(pk=tenants.contract.pk).update(notice_period_days=45, renewal_months=36)
    data = form_data(customer=tenants.customer.pk, start_from="copy", source=tenants.contract.pk)
    assert author.post(NEW, data).status_code == 302
    contract = Contract.objects.get(title="Managed workplace")
    assert (contract.notice_period_days, contract.renewal_months) == (45, 36)
