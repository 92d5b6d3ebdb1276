"""The notice period and renewal term are contract values: both renderings of a clause name
them from the contract, and a parameter that hides the notice period is warned about."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from contracts import services
from contracts.models import Contract
from contracts.selectors.versions import version_findings, version_rendered_clauses, version_terms
from tests import factories

pytestmark = pytest.mark.django_db

LEGAL = (
    "Either party may terminate by written notice of {{ notice_period }}; the term renews for "
    "{{ renewal_term }}."
)
PLAIN = (
    "Tell us {{ notice_period }} ahead if you want to stop; otherwise it goes on for {{ renewal_term }} more."
)


@pytest.fixture
def version(tenants):
    Contract.objects.filter(pk=tenants.contract.pk).update(
        end_date=date(2027, 12, 31), notice_period_days=60, renewal_months=24
    )
    tenants.contract.refresh_from_db()
    version = factories.version_with_terms(tenants.contract, user=tenants.provider_author)
    services.clause_add(version=version, heading="Term and renewal", legal_text=LEGAL, plain_text=PLAIN)
    return version


def _term_clause(version):
    return next(
        r for r in version_rendered_clauses(version_terms(version)) if r.clause.heading == "Term and renewal"
    )


def test_both_renderings_show_the_contracts_notice_period_and_renewal_term(version):
    rendered = _term_clause(version)
    assert rendered.legal.ok and rendered.plain.ok
    assert "written notice of 60 days; the term renews for 24 months." in rendered.legal.html
    assert "Tell us 60 days ahead" in rendered.plain.html and "for 24 months more" in rendered.plain.html
    codes = [f.code for f in version_findings(version_terms(version))]
    assert "notice_period_overridden" not in codes and "unknown_placeholder" not in codes


def test_a_notice_period_parameter_wins_in_the_texts_with_a_warning(version):
    services.parameter_set(version=version, name="notice_period", kind="text", value="three months")
    assert "written notice of three months" in _term_clause(version).legal.html
    [finding] = [f for f in version_findings(version_terms(version)) if f.code == "notice_period_overridden"]
    assert finding.level == "warning"
    assert "the contract's notice period (60 days)" in finding.message


def test_renewal_term_is_not_a_parameter_name(version):
    with pytest.raises(ValidationError):
        services.parameter_set(version=version, name="renewal_term", kind="text", value="one year")
