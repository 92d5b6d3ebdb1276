from compliance.models.credit_notes import (
    CreditNote,
    CreditNoteCounter,
    CreditNoteDelivery,
    CreditNoteStatus,
)
from compliance.models.disputes import (
    EVENT_KINDS,
    Dispute,
    DisputeKind,
    DisputeStatus,
    ReportAcknowledgement,
)
from compliance.models.evaluations import Evaluation
from compliance.models.events import Cause, Incident, IncidentPause, Outage, Priority, WorkLog
from compliance.models.import_profiles import ImportProfile
from compliance.models.kpis import KpiValue
from compliance.models.sources import (
    DeliveryOutcome,
    EventSource,
    SourceDelivery,
    SourceKind,
    SourceRoute,
    TicketStatus,
    TicketStatusChange,
)
from compliance.models.tokens import ApiToken
from compliance.models.warnings import BreachWarning, WarningKind

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
from compliance.models.reports import (
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

__all__ += [
    "EVENT_KINDS",
    "CreditNote",
    "CreditNoteCounter",
    "CreditNoteDelivery",
    "CreditNoteStatus",
    "Dispute",
    "DisputeKind",
    "DisputeStatus",
    "ReportAcknowledgement",
]
__all__ += [
    "DeliveryOutcome",
    "EventSource",
    "SourceRoute",
    "SourceDelivery",
    "SourceKind",
    "TicketStatus",
    "TicketStatusChange",
]

__all__ += ["ImportProfile"]


__all__ += ["BreachWarning", "WarningKind"]
