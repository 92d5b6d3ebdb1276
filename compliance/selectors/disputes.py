"""Reads of disputes and acknowledgements, and where an issued report stands with the
customer. Scoped through ``contracts.selectors.tenancy``: another tenant's report or
dispute is in no queryset here (404)."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from compliance.engine import disputes as engine
from compliance.models import Dispute, DisputeStatus, Report, ReportAcknowledgement
from contracts.models import Contract, Membership, Role
from contracts.selectors import tenancy


def contracts_as_customer_member(user) -> QuerySet[Contract]:
    """Contracts whose customer organisation the user is a member of (any role)."""
    if not user.is_authenticated:
        return Contract.objects.none()
    member_of = Membership.objects.filter(user=user).values("organisation_id")
    return Contract.objects.filter(customer__in=member_of).select_related("provider", "customer")


def report_for_customer_or_404(user, reference: str, report_id: int) -> Report:
    """A report the user may acknowledge or dispute: they are a member of its customer."""
    reports = Report.objects.filter(contract__in=contracts_as_customer_member(user)).select_related(
        "contract__provider", "contract__customer", "evaluation"
    )
    return tenancy.get_for_user_or_404(reports, pk=report_id, contract__reference=reference)


def dispute_for_provider_or_404(user, reference: str, report_id: int, dispute_id: int) -> Dispute:
    """A dispute the user may answer: an admin or author at the contract's provider."""
    disputes = Dispute.objects.filter(
        report__contract__in=tenancy.contracts_authored_by(user)
    ).select_related("report__contract__provider", "report__contract__customer", "raised_by")
    return tenancy.get_for_user_or_404(
        disputes, pk=dispute_id, report_id=report_id, report__contract__reference=reference
    )


def disputes_of(report: Report) -> QuerySet[Dispute]:
    return Dispute.objects.filter(report=report).select_related("raised_by", "answered_by", "corrected_in")


def disputes_corrected_by(report: Report) -> QuerySet[Dispute]:
    """The accepted disputes of earlier revisions that this (amended) report corrects."""
    return Dispute.objects.filter(corrected_in=report).select_related("report", "answered_by")


def acknowledgement_of(report: Report) -> ReportAcknowledgement | None:
    return ReportAcknowledgement.objects.filter(report=report).select_related("acknowledged_by").first()


def report_standing(report: Report, *, now: datetime | None = None) -> engine.Standing:
    """Issued, acknowledged, disputed or resolved; the window's last day; final or not."""
    statuses = list(Dispute.objects.filter(report=report).values_list("status", flat=True))
    return engine.standing(
        issued_at=report.issued_at,
        days=report.contract.dispute_window_days,
        time_zone=report.contract.time_zone,
        now=now or timezone.now(),
        acknowledged=ReportAcknowledgement.objects.filter(report=report).exists(),
        disputes=len(statuses),
        open_disputes=sum(1 for status in statuses if status == DisputeStatus.OPEN),
    )


def month_is_final(report: Report, *, now: datetime | None = None) -> bool:
    """The report's dispute window closed with no dispute waiting for an answer."""
    return report_standing(report, now=now).final


def provider_staff_emails(contract: Contract) -> list[str]:
    """Who answers disputes: the provider's admins and authors (active users)."""
    return sorted(
        {
            email.lower()
            for email in Membership.objects.filter(
                organisation_id=contract.provider_id,
                role__in=(Role.ADMIN, Role.AUTHOR),
                user__is_active=True,
            ).values_list("user__email", flat=True)
        }
    )


def customer_emails(contract: Contract, *, also=None) -> list[str]:
    """The customer's report recipients, and ``also`` (e.g. who raised the dispute)."""
    emails = {
        email.lower()
        for email in Membership.objects.filter(
            organisation_id=contract.customer_id, receives_reports=True, user__is_active=True
        ).values_list("user__email", flat=True)
    }
    if also is not None and also.email and also.is_active:
        emails.add(also.email.lower())
    return sorted(emails)
