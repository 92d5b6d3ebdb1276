from .evaluations import Evaluation
from .events import Cause, Incident, IncidentPause, Outage, Priority, WorkLog
from .kpis import KpiValue
from .tokens import ApiToken

__all__ = [
    "ApiToken",
    "Cause",
    "Evaluation",
    "Incident",
    "IncidentPause",
    "KpiValue",
    "Outage",
    "Priority",
    "WorkLog",
]
from .reports import (  # noqa: E402
    Delivery,
    DeliveryStatus,
    ItemStatus,
    RecipientKind,
    Report,
    ReportRun,
    ReportRunItem,
    ReportStatus,
    RunTrigger,
)

__all__ += [
    "Delivery",
    "DeliveryStatus",
    "ItemStatus",
    "RecipientKind",
    "Report",
    "ReportRun",
    "ReportRunItem",
    "ReportStatus",
    "RunTrigger",
]
