"""The contracts list: search, filter, sort, pages, and the same rows as CSV or XLSX."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from contracts.forms.contract_filters import ContractFilter
from contracts.selectors.listing import (
    EXPORT_HEADER,
    contracts_listed_for,
    customers_listed_for,
    export_rows,
)
from slaportal import exports

PER_PAGE = 25


@login_required
@require_GET
def contract_list(request):
    found = ContractFilter(
        request.GET, contracts_listed_for(request.user), customers=customers_listed_for(request.user)
    )
    contracts = found.qs
    file_format = request.GET.get("export")
    if file_format in ("csv", "xlsx"):
        return _export(contracts, file_format)
    page = Paginator(contracts, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    return render(
        request,
        "contracts/contract_list.html",
        {"filter": found, "page": page, "query": query.urlencode(), "filtered": bool(query)},
        status=200 if found.is_valid() else 400,
    )


def _export(contracts, file_format: str) -> HttpResponse:
    rows = export_rows(contracts)
    stamp = timezone.localdate().isoformat()
    if file_format == "csv":
        response = HttpResponse(exports.to_csv(EXPORT_HEADER, rows), content_type=exports.CSV_TYPE)
    else:
        body = exports.to_xlsx(EXPORT_HEADER, rows, title="Contracts")
        response = HttpResponse(body, content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="contracts-{stamp}.{file_format}"'
    return response
