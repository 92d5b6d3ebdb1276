"""What a report PDF shows, read from the database into ``compliance.reports.pdf.ReportData``.

A constant number of queries per report (eight): the report with its contract, parties and
evaluation; the version's credit tiers and cap; the earlier months' evaluations for the
trend charts; the month's incidents and outages.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.urls import reverse

from compliance.engine.amendments import figures_changes
from compliance.engine.evaluation_json import level_plotted
from compliance.engine.periods import parse_period
from compliance.models import Evaluation, Report
from compliance.reports.pdf import ReportData, ReportIncident, ReportOutage, ReportParty, ReportTier
from compliance.selectors.events import incidents_of, outages_of
from compliance.selectors.issued import issued_before
from contracts.models import CreditCap, CreditTier
from contracts.selectors.branding import branding_of

HISTORY_MONTHS = 5


def _party(organisation) -> ReportParty:
    return ReportParty(organisation.name, organisation.parent.name if organisation.parent_id else "")


def _history(report: Report) -> tuple[dict[str, tuple[tuple[str, Decimal | None], ...]], str, dict | None]:
    """The plotted figure per service level key over the (up to) five stored months before
    the report's, the latest revision of each, oldest first (``None`` for a month without
    incidents); and the latest of those months with its figures (for "what changed since
    last month"), ``("", None)`` when there is none."""
    latest = (
        Evaluation.objects.filter(contract_id=report.contract_id, period__lt=report.period)
        .values("period")
        .annotate(last=Max("revision"))
        .order_by("-period")[:HISTORY_MONTHS]
    )
    wanted = {row["period"]: row["last"] for row in latest}
    rows = Evaluation.objects.filter(
        contract_id=report.contract_id, period__in=list(wanted), revision__in=set(wanted.values())
    ).values_list("period", "revision", "figures")
    history: dict[str, list[tuple[str, str]]] = {}
    previous: tuple[str, dict | None] = ("", None)
    for period, revision, figures in sorted(rows):
        if wanted.get(period) != revision:
            continue
        previous = (period, figures)
        for level in figures.get("service_levels", []):
            if level.get("measured"):
                history.setdefault(level["key"], []).append((period, level_plotted(level)))
    return {key: tuple(points) for key, points in history.items()}, *previous


def report_data(report: Report) -> ReportData:
    """The report's ``ReportData`` (see the module docstring)."""
    report = Report.objects.select_related(
        "contract__provider__parent", "contract__customer__parent", "evaluation__version"
    ).get(pk=report.pk)
    contract = report.contract
    evaluation = report.evaluation
    version = evaluation.version
    tiers: dict[str, list[ReportTier]] = {}
    for key, below, kind, value in CreditTier.objects.filter(version=version).values_list(
        "service_level__key", "below", "kind", "value"
    ):
        tiers.setdefault(key, []).append(ReportTier(below, kind, value))
    cap = CreditCap.objects.filter(version=version).first()
    period = parse_period(report.period)
    amended = issued_before(report)
    history, previous_period, previous_figures = _history(report)
    changes = figures_changes(amended.evaluation.figures, evaluation.figures) if amended else []
    incidents = tuple(
        ReportIncident(
            i.external_id,
            i.service,
            i.priority,
            i.opened_at,
            i.first_response_at,
            i.resolved_at,
            i.get_cause_display(),
            i.summary,
        )
        for i in incidents_of(contract, period).prefetch_related(None).order_by("opened_at", "id")
    )
    outages = tuple(
        ReportOutage(o.external_id, o.service, o.start, o.end, o.planned, o.get_cause_display(), o.summary)
        for o in outages_of(contract, period).order_by("start", "id")
    )
    return ReportData(
        reference=contract.reference,
        title=contract.title,
        provider=_party(contract.provider),
        customer=_party(contract.customer),
        internal=contract.is_internal,
        period=report.period,
        revision=report.revision,
        version=version.number,
        figures=evaluation.figures,
        verification_code=report.verification_code,
        document_sha256=report.document_sha256,
        computed_at=evaluation.computed_at,
        time_zone=contract.time_zone,
        verify_url=settings.SITE_URL + reverse("compliance:verify"),
        report_url=settings.SITE_URL
        + reverse(
            "compliance:report_detail", kwargs={"reference": contract.reference, "report_id": report.pk}
        ),
        cap_label=(f"{cap.value}% of the monthly fee" if cap.kind == "percent_of_fee" else f"{cap.value}")
        if cap
        else "",
        tiers={key: tuple(sorted(found, key=lambda t: -t.below)) for key, found in tiers.items()},
        history=history,
        previous_period=previous_period,
        previous_figures=previous_figures,
        incidents=incidents,
        outages=outages,
        signed_outside_portal=version.signed_outside_portal,
        amends_revision=amended.revision if amended else None,
        amendment=tuple(change.text for change in changes),
        amendment_reason=report.amendment_reason,
        branding=branding_of(contract.provider),
    )
