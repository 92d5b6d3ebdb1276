"""What a credit note PDF shows: credit note data → HTML (``compliance.reports.rendering``
turns it into sealed PDF bytes).

Pure like ``compliance.reports.pdf``: plain values in, text out. The credit note's number
and verification code are written into the PDF's document information from the template's
``<meta>`` tags (``/SLAPortalCreditNoteCode``), and the file is sealed with the portal's key,
so ``/verify/`` and ``manage.py verify_pdf`` tell a genuine credit note from an altered one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.template.loader import render_to_string

from compliance.reports.pdf import ReportParty, period_label
from contracts.branding.brand import Branding

TEMPLATE = "pdf/credit_note.html"
INFO_CREDIT_NOTE_CODE = "/SLAPortalCreditNoteCode"


@dataclass(frozen=True)
class CreditNoteLine:
    service_level: str
    tier: str
    amount: Decimal | None
    hours: Decimal | None


@dataclass(frozen=True)
class CreditNoteData:
    number: str
    verification_code: str
    reference: str
    title: str
    provider: ReportParty
    customer: ReportParty
    period: str
    report_revision: int
    report_code: str
    currency: str
    lines: tuple[CreditNoteLine, ...]
    total: Decimal
    cap: Decimal | None
    amount: Decimal
    hours: Decimal
    issued_at: datetime
    time_zone: str
    verify_url: str
    #: The provider's logo and accent colour, as they were when the note was rendered.
    branding: Branding | None = None

    @property
    def cap_applied(self) -> bool:
        return self.cap is not None and self.total > self.amount


def credit_note_html(data: CreditNoteData) -> str:
    return render_to_string(TEMPLATE, {"data": data, "period_label": period_label(data.period)})
