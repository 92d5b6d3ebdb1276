"""What each domain signal tells whom. Each receiver runs after the change committed
(``slaportal.signals.send_on_commit``) and calls ``services.notify``; the key names the thing
told, so a signal handled twice tells nobody twice.

| signal | who is told |
|---|---|
| breach_warning | the provider's admins and authors who chose that kind of warning and contract |
| signature_declined | the sender and the provider's signers, with the reason |
| contract_activated | the sender, every signer, and the admins and signers of both parties |
| signature_expired | the sender |
| signature_requested | the signers (their invitation email is sent by the signing itself) |
| report_issued | every member of the customer |
| dispute_raised | the provider's admins and authors |
| dispute_answered | every member of the customer |
"""

from __future__ import annotations

from django.dispatch import receiver
from django.urls import reverse

from compliance import signals as compliance_signals
from contracts import signals as contract_signals
from notifications import selectors
from notifications.models import Kind
from notifications.services import notify


@receiver(compliance_signals.breach_warning, dispatch_uid="notifications.breach_warning")
def on_breach_warning(sender, warning, **kwargs):
    contract = warning.contract
    if warning.kind == "incident":
        url = reverse("compliance:incidents", args=[contract.reference])
    else:
        url = reverse("compliance:contract_compliance", args=[contract.reference])
    notify(
        users=selectors.warning_recipients(contract, warning.kind),
        kind=Kind.WARNING,
        key=f"warning:{warning.pk}",
        contract=contract,
        title=f"{contract.reference}: {warning.level_name} — {_threshold(warning)}",
        body=warning.message,
        url=url,
    )


def _threshold(warning) -> str:
    names = {
        "budget_half": "error budget half used",
        "budget_spent": "error budget used up",
        "budget_burning": "error budget burning fast",
        "hours_behind": "behind pace",
    }
    if warning.threshold in names:
        return names[warning.threshold]
    return f"{warning.subject} at {warning.threshold}% of its target"


def _signing_url(contract, request) -> str:
    return reverse("contracts:signing_page", args=[contract.reference, request.pk])


@receiver(contract_signals.signature_declined, dispatch_uid="notifications.signature_declined")
def on_signature_declined(sender, contract, request, signer, reason, **kwargs):
    version = request.version
    who = signer.user.display_name if signer.user_id else signer.email
    notify(
        users=[request.created_by, *selectors.provider_signers(contract)],
        kind=Kind.SIGNATURE_DECLINED,
        key=f"signature_declined:{request.pk}",
        contract=contract,
        title=f"{contract.reference}: version {version.number} declined by {who} ({signer.organisation})",
        body=f"Reason given: {reason}",
        url=_signing_url(contract, request),
    )


@receiver(contract_signals.contract_activated, dispatch_uid="notifications.contract_activated")
def on_contract_activated(sender, contract, request, version, **kwargs):
    signers = [s.user for s in request.signers.select_related("user") if s.user_id]
    notify(
        users=[
            u for u in [request.created_by, *selectors.party_admins_and_signers(contract)] if u not in signers
        ],
        # The signers are emailed the sealed PDF by the signing itself.
        quiet=signers,
        kind=Kind.CONTRACT_SIGNED,
        key=f"contract_signed:{request.pk}",
        contract=contract,
        title=f"{contract.reference}: version {version.number} signed by every party",
        body=(
            f"“{contract.title}” between {contract.provider} and {contract.customer} is in force "
            f"from {version.in_force_from:%d %B %Y}; the signed PDF is on the signing page."
        ),
        url=_signing_url(contract, request),
    )


@receiver(contract_signals.signature_expired, dispatch_uid="notifications.signature_expired")
def on_signature_expired(sender, contract, request, **kwargs):
    notify(
        users=[request.created_by],
        kind=Kind.SIGNATURE_EXPIRED,
        key=f"signature_expired:{request.pk}",
        contract=contract,
        title=f"{contract.reference}: version {request.version.number} expired unsigned",
        body=(
            f"The request you sent was not signed by its deadline, {request.expires_at:%d %B %Y}. "
            "Send it again from the contract's page when the parties are ready."
        ),
        url=reverse("contracts:contract_detail", args=[contract.reference]),
    )


@receiver(contract_signals.signature_requested, dispatch_uid="notifications.signature_requested")
def on_signature_requested(sender, contract, request, **kwargs):
    signers = [s.user for s in request.signers.select_related("user") if s.user_id]
    notify(
        users=selectors.members_among(contract, signers),
        kind=Kind.SIGNATURE_REQUESTED,
        key=f"signature_requested:{request.pk}",
        contract=contract,
        title=f"{contract.reference}: version {request.version.number} awaits your signature",
        url=_signing_url(contract, request),
    )


@receiver(compliance_signals.report_issued, dispatch_uid="notifications.report_issued")
def on_report_issued(sender, report, amended=False, **kwargs):
    contract = report.contract
    what = f"revision {report.revision} of the report" if amended else "the report"
    notify(
        users=selectors.customer_members(contract),
        kind=Kind.REPORT_ISSUED,
        key=f"report_issued:{report.pk}",
        contract=contract,
        title=f"{contract.reference}: {what} for {report.period} issued",
        url=reverse("compliance:report_detail", args=[contract.reference, report.pk]),
    )


@receiver(compliance_signals.dispute_raised, dispatch_uid="notifications.dispute_raised")
def on_dispute_raised(sender, dispute, **kwargs):
    report = dispute.report
    contract = report.contract
    notify(
        users=selectors.provider_staff(contract),
        kind=Kind.DISPUTE_RAISED,
        key=f"dispute_raised:{dispute.pk}",
        contract=contract,
        title=f"{contract.reference}: the report for {report.period} disputed",
        body=dispute.reason,
        url=reverse("compliance:report_detail", args=[contract.reference, report.pk]),
    )


@receiver(compliance_signals.dispute_answered, dispatch_uid="notifications.dispute_answered")
def on_dispute_answered(sender, dispute, **kwargs):
    report = dispute.report
    contract = report.contract
    notify(
        users=selectors.customer_members(contract),
        kind=Kind.DISPUTE_ANSWERED,
        key=f"dispute_answered:{dispute.pk}",
        contract=contract,
        title=(
            f"{contract.reference}: your dispute of the report for {report.period} "
            f"{dispute.get_status_display().lower()}"
        ),
        body=dispute.answer,
        url=reverse("compliance:report_detail", args=[contract.reference, report.pk]),
    )
