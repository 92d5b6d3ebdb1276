"""The API's compliance figures: one contract evaluated for one month.

``GET /api/v1/contracts/{reference}/compliance/{YYYY-MM}/`` answers the same JSON that is
stored with the evaluation (``compliance.engine.evaluation_json``). The contract comes through
``contracts.selectors.tenancy`` like every other endpoint: another tenant's contract is a 404. A month
before the contract's term, after it, or not started yet has no figures: also a 404, whose
``detail`` says which.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.errors import CONFLICT_RESPONSE, invalid, one_error
from compliance.api.serializers import BatchInvalidSerializer
from compliance.api.views import PERIOD_PATTERN, _contract
from compliance.engine.display import figures_with_texts
from compliance.engine.periods import parse_period
from compliance.selectors import issued
from compliance.selectors.evaluations import PeriodStanding, evaluation_current
from contracts.caching.pages import cached_get

PERIOD_PATH = OpenApiParameter(
    "period",
    OpenApiTypes.STR,
    location=OpenApiParameter.PATH,
    description="A month, YYYY-MM, in the contract's time zone.",
    pattern=PERIOD_PATTERN,
)


# Months that are not evaluated at all; answered like a resource that does not exist.
_WITHOUT_FIGURES = {standing.value for standing in PeriodStanding if not standing.evaluable}


class ContractCompliance(APIView):
    @extend_schema(
        operation_id="contracts_compliance_retrieve",
        parameters=[PERIOD_PATH],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=(
                    "contract, period, version, service_levels (name, metric, target, achieved, met, "
                    "breaches, excluded_events), error_budgets, exclusions, credits (lines, total, cap, "
                    "capped_total, currency), hours_bank (committed, delivered, brought_forward, "
                    "carried_on); numbers as strings, each beside a display text in the portal's "
                    'words (`*_text`: target_text "4 business hours for 90% of incidents", '
                    'achieved_text "66.66%", capped_total_text "EUR 420.00", period_text '
                    '"November 2026"). A month that is over reads, for the customer, '
                    "as its latest issued report (issued_revision, issued_at); provider staff read "
                    "the live figures with the amendment against the issued report. "
                    "See docs/compliance.md."
                ),
            ),
            400: OpenApiResponse(
                BatchInvalidSerializer, description="The period is not a month written YYYY-MM."
            ),
            409: CONFLICT_RESPONSE,
            404: OpenApiResponse(
                description=(
                    "No such contract among yours, or the month has no figures: it is before the "
                    "contract's term, after it, or has not started yet (said in detail); for the "
                    "customer, also a month that is over whose report has not been issued yet."
                )
            ),
        },
        summary="A contract's compliance figures for one month",
    )
    @cached_get
    def get(self, request: Request, reference: str, period: str) -> Response:
        contract = _contract(request, reference)
        try:
            parse_period(period)
        except ValueError as exc:
            return one_error("period", f"The period is a month written YYYY-MM ({exc}).")
        customer_view = issued.sees_issued_only(request.user, contract)
        report = None
        try:
            if customer_view:
                month = issued.customer_month(contract=contract, period=period)
                run, report = month.run, month.report
            else:
                run = evaluation_current(contract=contract, period=period)
                report = issued.issued_report(contract, period) if run.figures.get("final") else None
        except ValidationError as exc:
            if getattr(exc, "code", None) in _WITHOUT_FIGURES:
                return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_404_NOT_FOUND)
            return invalid(exc, conflict=True)
        if run is None:
            return Response(
                {"detail": f"The report for {period} has not been issued yet.", "issued": False},
                status=status.HTTP_404_NOT_FOUND,
            )
        evaluation = run.evaluation
        data = {
            **figures_with_texts(run.figures),
            "revision": evaluation.revision if run.stored else None,
            "computed_at": evaluation.computed_at.isoformat().replace("+00:00", "Z"),
            "issued_revision": None if report is None else report.revision,
            "issued_at": None if report is None else report.issued_at.isoformat().replace("+00:00", "Z"),
        }
        if report is not None and not customer_view:
            amendment = issued.amendment_of(report, evaluation)
            data["amendment"] = [
                {"figure": c.name, "kind": c.kind, "key": c.key, "before": c.before, "after": c.after}
                for c in amendment.changes
            ]
        return Response(data)
