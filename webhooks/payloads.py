"""The ``data`` of each event type, built from the arguments of its domain signal.

Each function answers (the provider organisation whose subscribers are told, data), or
None when the signal does not make this event (a first issue is not an amendment). The data
names things as the portal does and links to the page of each thing; amounts are decimal
strings, times ISO 8601 in UTC.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def _iso(moment) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _contract(contract) -> dict:
    return {
        "reference": contract.reference,
        "title": contract.title,
        "customer": contract.customer.name,
        "url": settings.SITE_URL
        + reverse("contracts:contract_detail", kwargs={"reference": contract.reference}),
    }


def _report(report) -> dict:
    return {
        "id": report.pk,
        "period": report.period,
        "revision": report.revision,
        "issued_at": _iso(report.issued_at),
        "url": settings.SITE_URL
        + reverse(
            "compliance:report_detail",
            kwargs={"reference": report.contract.reference, "report_id": report.pk},
        ),
    }


def contract_activated(*, contract, version, **_) -> tuple:
    in_force = version.in_force_from
    return contract.provider, {
        "contract": _contract(contract),
        "version": version.number,
        "in_force_from": in_force.isoformat() if in_force else None,
    }


def report_issued(*, report, amended: bool, **_) -> tuple | None:
    if amended:
        return None
    return report.contract.provider, {"contract": _contract(report.contract), "report": _report(report)}


def report_amended(*, report, amended: bool, **_) -> tuple | None:
    if not amended:
        return None
    return report.contract.provider, {
        "contract": _contract(report.contract),
        "report": {**_report(report), "amendment_reason": report.amendment_reason},
    }


def credit_note_issued(*, credit_note, **_) -> tuple:
    note = credit_note
    return note.provider, {
        "contract": _contract(note.contract),
        "credit_note": {
            "number": note.number,
            "period": note.period,
            "currency": note.currency,
            "amount": str(note.amount),
            "hours": str(note.hours),
            "report_id": note.report_id,
        },
    }


def _dispute(dispute) -> dict:
    return {
        "id": dispute.pk,
        "kind": dispute.kind,
        "subject": dispute.subject,
        "reason": dispute.reason,
        "status": dispute.status,
        "answer": dispute.answer,
        "raised_at": _iso(dispute.raised_at),
        "answered_at": _iso(dispute.answered_at),
    }


def dispute_opened(*, dispute, **_) -> tuple:
    report = dispute.report
    return report.contract.provider, {
        "contract": _contract(report.contract),
        "report": _report(report),
        "dispute": _dispute(dispute),
    }


def dispute_resolved(*, dispute, **_) -> tuple:
    return dispute_opened(dispute=dispute)


def breach_warning(*, warning, **_) -> tuple:
    contract = warning.contract
    return contract.provider, {
        "contract": _contract(contract),
        "period": warning.period,
        "kind": warning.kind,
        "service_level": warning.level_name,
        "threshold": warning.threshold,
        "incident": warning.subject or None,
        "used_percent": str(warning.used),
        "message": warning.message,
        "reached_at": _iso(warning.reached_at),
        "deadline": _iso(warning.deadline),
    }
