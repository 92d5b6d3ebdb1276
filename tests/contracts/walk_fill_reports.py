"""Report URL keywords for the tenancy walk: a report of March 2026 and a run with the first
tenant's contract only (its PDF is not rendered: the walk checks access, not content)."""

from compliance.models import Report, ReportRun, ReportRunItem
from compliance.services.evaluations import evaluation_run

# The month close shows every provider's staff only their own contracts' reports; issuing
# all held reports issues only those.
OWN = {"compliance:reports_review", "compliance:reports_issue_all"}


def fill(tenants) -> dict:
    contract = tenants.contract
    evaluation = evaluation_run(contract=contract, period="2026-03").evaluation
    report = Report.objects.create(
        contract=contract, period="2026-03", evaluation=evaluation, revision=evaluation.revision
    )
    run = ReportRun.objects.create(period="2026-03", contracts_total=1)
    ReportRunItem.objects.create(run=run, contract=contract, report=report)
    return {"report_id": report.pk, "run_id": run.pk}
