"""The contract page: header, key facts, versions, and one version for reading."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from contracts.caching.pages import cached_page
from contracts.selectors.reading import (
    contract_reader_or_404,
    readable_versions,
    rendering_choice,
    version_in_force,
    version_reading,
    version_to_read,
)
from contracts.selectors.tenancy import contracts_audited_for_user
from contracts.texts.wording import format_money
from contracts.views.documents import author_links, reading_context


@login_required
@require_GET
@cached_page
def contract_detail(request, reference: str):
    reader = contract_reader_or_404(request.user, reference)
    versions = readable_versions(reader)
    shown = version_to_read(reader, versions)
    rendering = rendering_choice(request.GET.get("rendering"))
    context = {
        "contract": reader.contract,
        "reader": reader,
        "is_provider_side": reader.provider_side,
        "versions": versions,
        "in_force": version_in_force(versions),
        "monthly_fee": format_money(reader.contract.monthly_fee, reader.contract.currency),
        "activity_visible": contracts_audited_for_user(request.user).filter(pk=reader.contract.pk).exists(),
        "links": author_links(reader, versions, next((v for v in versions if v.is_draft), shown)),
    }
    if shown is not None:
        context.update(reading_context(version_reading(shown), rendering))
    return render(request, "contracts/contract_detail.html", context)
