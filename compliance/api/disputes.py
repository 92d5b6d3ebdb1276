"""The API of a report's disputes and acknowledgement, and of the credits ledger.

- ``GET  /api/v1/contracts/{reference}/reports/{report_id}/disputes/``: the report's
  disputes and where it stands (either party);
- ``POST …/disputes/``: the customer disputes an item (members of the customer);
- ``POST …/disputes/{dispute_id}/answer/``: the provider accepts or rejects (admins and
  authors at the provider);
- ``POST …/acknowledge/``: the customer acknowledges the report;
- ``GET  /api/v1/credits/ledger/`` and ``…/credits/{ledger|figures}/export/{csv|xlsx}/``.

The same services as the report page decide: a refused step answers 400 with the reason
(``non_field_errors`` or per field) and writes nothing. Another tenant's report is a 404,
and so is a step for someone not of the party that takes it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from compliance.api.errors import CONFLICT_RESPONSE, field_errors, one_error, refused
from compliance.api.parsers import EventJSONParser
from compliance.api.views import ERRORS, _contracts, _token_organisation
from compliance.models import Dispute, DisputeKind, Report
from compliance.selectors import credit_notes as ledger
from compliance.selectors import disputes as selectors
from compliance.services import disputes as services
from compliance.views.credits import export_response
from contracts.selectors import tenancy

NOT_FOUND = OpenApiResponse(description="No such report or dispute among yours, or not yours to answer.")
REPORT_PATH = [
    OpenApiParameter("reference", OpenApiTypes.STR, location=OpenApiParameter.PATH),
    OpenApiParameter("report_id", OpenApiTypes.INT, location=OpenApiParameter.PATH),
]


def _dispute_fields() -> dict:
    return {
        "id": serializers.IntegerField(),
        "kind": serializers.ChoiceField(choices=DisputeKind.choices),
        "subject": serializers.CharField(),
        "reason": serializers.CharField(),
        "status": serializers.ChoiceField(choices=["open", "accepted", "rejected"]),
        "answer": serializers.CharField(),
        "raised_by": serializers.EmailField(allow_null=True),
        "raised_at": serializers.DateTimeField(),
        "answered_by": serializers.EmailField(allow_null=True),
        "answered_at": serializers.DateTimeField(allow_null=True),
        "corrected_in_revision": serializers.IntegerField(
            allow_null=True, help_text="The amended revision that corrected this accepted dispute."
        ),
        "corrected_in_report": serializers.IntegerField(allow_null=True),
    }


DISPUTE = inline_serializer(name="Dispute", fields=_dispute_fields())

STANDING = inline_serializer(
    name="ReportDisputes",
    fields={
        "report": serializers.IntegerField(),
        "period": serializers.CharField(),
        "revision": serializers.IntegerField(),
        "state": serializers.ChoiceField(
            choices=["not_issued", "issued", "acknowledged", "disputed", "resolved"]
        ),
        "window_closes_on": serializers.DateField(allow_null=True),
        "window_open": serializers.BooleanField(),
        "final": serializers.BooleanField(),
        "acknowledged_at": serializers.DateTimeField(allow_null=True),
        "disputes": serializers.ListField(
            child=inline_serializer(name="DisputeItem", fields=_dispute_fields())
        ),
    },
)
DISPUTE_WRITE = inline_serializer(
    name="DisputeWrite",
    fields={
        "kind": serializers.ChoiceField(choices=DisputeKind.choices),
        "subject": serializers.CharField(
            required=False,
            help_text="The event's external id (exclusion, times, cause, priority); for a missing "
            "event, how you know of it; empty for the credit.",
        ),
        "reason": serializers.CharField(),
    },
)
ANSWER_WRITE = inline_serializer(
    name="DisputeAnswer",
    fields={
        "accept": serializers.BooleanField(),
        "answer": serializers.CharField(required=False, help_text="Required when rejecting."),
    },
)
ACK_WRITE = inline_serializer(name="Acknowledgement", fields={"note": serializers.CharField(required=False)})


def _time(value):
    return value.isoformat().replace("+00:00", "Z") if value else None


def _dispute_json(dispute: Dispute) -> dict:
    return {
        "id": dispute.pk,
        "kind": dispute.kind,
        "subject": dispute.subject,
        "reason": dispute.reason,
        "status": dispute.status,
        "answer": dispute.answer,
        "raised_by": dispute.raised_by.email if dispute.raised_by else None,
        "raised_at": _time(dispute.raised_at),
        "answered_by": dispute.answered_by.email if dispute.answered_by else None,
        "answered_at": _time(dispute.answered_at),
        "corrected_in_revision": dispute.corrected_in.revision if dispute.corrected_in_id else None,
        "corrected_in_report": dispute.corrected_in_id,
    }


def _standing_json(report: Report) -> dict:
    standing = selectors.report_standing(report)
    acknowledgement = selectors.acknowledgement_of(report)
    return {
        "report": report.pk,
        "period": report.period,
        "revision": report.revision,
        "state": standing.state,
        "window_closes_on": standing.closes_on.isoformat() if standing.closes_on else None,
        "window_open": standing.window_open,
        "final": standing.final,
        "acknowledged_at": _time(acknowledgement.acknowledged_at) if acknowledgement else None,
        "disputes": [_dispute_json(d) for d in selectors.disputes_of(report)],
    }


def _report(request: Request, reference: str, report_id: int, *, customer: bool = False) -> Report:
    contracts = _contracts(request)
    if customer:
        contracts = contracts.filter(pk__in=selectors.contracts_as_customer_member(request.user))
        organisation = _token_organisation(request)
        if organisation is not None:
            contracts = contracts.filter(customer_id=organisation)
    reports = Report.objects.filter(contract__in=contracts).select_related(
        "contract__provider", "contract__customer", "evaluation"
    )
    return tenancy.get_for_user_or_404(reports, pk=report_id, contract__reference=reference)


def _bad(message: str, field: str = "non_field_errors") -> Response:
    return one_error(field, message)


class ReportDisputes(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="report_disputes_list",
        parameters=REPORT_PATH,
        responses={200: STANDING, 404: NOT_FOUND},
        summary="A report's disputes and where it stands",
    )
    def get(self, request: Request, reference: str, report_id: int) -> Response:
        return Response(_standing_json(_report(request, reference, report_id)))

    @extend_schema(
        operation_id="report_disputes_create",
        parameters=REPORT_PATH,
        request=DISPUTE_WRITE,
        responses={201: DISPUTE, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Dispute an item of an issued report",
        description=(
            "Members of the customer, while the contract's dispute window is open. A late dispute, one "
            "on a report not issued or already acknowledged, or one naming no such event answers 400 "
            "with the reason and writes nothing. The provider's staff are emailed."
        ),
    )
    def post(self, request: Request, reference: str, report_id: int) -> Response:
        report = _report(request, reference, report_id, customer=True)
        data = request.data
        if not isinstance(data, dict):
            return _bad("Send an object with a kind, a subject and a reason.")
        for name in ("kind", "reason"):
            if not isinstance(data.get(name), str) or not data.get(name):
                return _bad("This field is required.", name)
        if not isinstance(data.get("subject", ""), str):
            return _bad("Send the subject as text.", "subject")
        try:
            dispute = services.dispute_raise(
                report=report,
                user=request.user,
                kind=data["kind"],
                subject=data.get("subject", ""),
                reason=data["reason"],
            )
        except ValidationError as exc:
            return refused(request, field_errors(exc))
        return Response(_dispute_json(dispute), status=status.HTTP_201_CREATED)


class DisputeAnswer(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="report_disputes_answer",
        parameters=[
            *REPORT_PATH,
            OpenApiParameter("dispute_id", OpenApiTypes.INT, location=OpenApiParameter.PATH),
        ],
        request=ANSWER_WRITE,
        responses={200: DISPUTE, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Accept or reject a dispute",
        description=(
            "Admins and authors at the provider. Accepting records that the event is corrected (on its "
            "page or through the events API) and that an amendment follows; rejecting needs the reason. "
            "The customer is emailed."
        ),
    )
    def post(self, request: Request, reference: str, report_id: int, dispute_id: int) -> Response:
        report = _report(request, reference, report_id)
        authored = tenancy.contracts_authored_by(request.user).filter(pk=report.contract_id)
        organisation = _token_organisation(request)
        if organisation is not None:
            authored = authored.filter(provider_id=organisation)
        if not authored.exists():
            raise Http404("No dispute found.")
        dispute = tenancy.get_for_user_or_404(Dispute.objects.filter(report=report), pk=dispute_id)
        data = request.data
        if not isinstance(data, dict) or not isinstance(data.get("accept"), bool):
            return _bad("Send accept: true or false.", "accept")
        if not isinstance(data.get("answer", ""), str):
            return _bad("Send the answer as text.", "answer")
        try:
            dispute = services.dispute_answer(
                dispute=dispute, user=request.user, accept=data["accept"], answer=data.get("answer", "")
            )
        except ValidationError as exc:
            return refused(request, field_errors(exc))
        return Response(_dispute_json(dispute))


class ReportAcknowledge(APIView):
    parser_classes = [EventJSONParser]

    @extend_schema(
        operation_id="report_acknowledge",
        parameters=REPORT_PATH,
        request=ACK_WRITE,
        responses={200: STANDING, 400: ERRORS, 404: NOT_FOUND, 409: CONFLICT_RESPONSE},
        summary="Acknowledge an issued report",
        description="Members of the customer, while the window is open and no dispute awaits an answer.",
    )
    def post(self, request: Request, reference: str, report_id: int) -> Response:
        report = _report(request, reference, report_id, customer=True)
        data = request.data if isinstance(request.data, dict) else {}
        if not isinstance(data.get("note", ""), str):
            return _bad("Send the note as text.", "note")
        try:
            services.report_acknowledge(report=report, user=request.user, note=data.get("note", ""))
        except ValidationError as exc:
            return refused(request, field_errors(exc))
        return Response(_standing_json(report))


LEDGER_ROW = inline_serializer(
    name="LedgerRow",
    fields={
        "customer": serializers.CharField(),
        "contract": serializers.CharField(),
        "period": serializers.CharField(),
        "revision": serializers.IntegerField(),
        "currency": serializers.CharField(),
        "owed": serializers.CharField(),
        "owed_hours": serializers.CharField(),
        "credit_note": serializers.CharField(allow_null=True),
        "issued": serializers.CharField(),
        "applied": serializers.CharField(),
        "invoice_reference": serializers.CharField(),
    },
)


class CreditsLedger(APIView):
    @extend_schema(
        operation_id="credits_ledger",
        responses={200: serializers.ListSerializer(child=LEDGER_ROW)},
        summary="Credits owed, issued and applied per customer and month",
    )
    def get(self, request: Request) -> Response:
        rows = ledger.credits_ledger(request.user, _contracts(request))
        return Response(
            [
                {
                    "customer": row.customer,
                    "contract": row.reference,
                    "period": row.period,
                    "revision": row.revision,
                    "currency": row.currency,
                    "owed": str(row.owed),
                    "owed_hours": str(row.owed_hours),
                    "credit_note": row.credit_note.number if row.credit_note else None,
                    "issued": str(row.issued),
                    "applied": str(row.applied),
                    "invoice_reference": row.invoice_reference,
                }
                for row in rows
            ]
        )


class CreditsExport(APIView):
    @extend_schema(
        operation_id="credits_export",
        parameters=[
            OpenApiParameter(
                "table", OpenApiTypes.STR, location=OpenApiParameter.PATH, enum=["ledger", "figures"]
            ),
            OpenApiParameter(
                "file_format", OpenApiTypes.STR, location=OpenApiParameter.PATH, enum=["csv", "xlsx"]
            ),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
            404: OpenApiResponse(description="No such export."),
        },
        summary="The credits ledger or the months' figures as CSV or XLSX",
    )
    def get(self, request: Request, table: str, file_format: str):
        return export_response(request.user, table, file_format, _contracts(request))
