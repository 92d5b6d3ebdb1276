"""Django admin for the operator: events and API tokens, read mostly.

Token secrets are never stored, so the admin shows only their prefix; revoke tokens by
setting "revoked at".
"""

from django.contrib import admin

from compliance.models import (
    ApiToken,
    BreachWarning,
    CreditNote,
    CreditNoteCounter,
    CreditNoteDelivery,
    Delivery,
    Dispute,
    Evaluation,
    EventSource,
    ImportProfile,
    Incident,
    IncidentPause,
    KpiValue,
    Outage,
    Report,
    ReportAcknowledgement,
    ReportRun,
    ReportRunItem,
    SourceDelivery,
    SourceRoute,
    TicketStatusChange,
    WorkLog,
)


class IncidentPauseInline(admin.TabularInline):
    model = IncidentPause
    extra = 0


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["external_id", "contract", "service", "priority", "opened_at", "resolved_at", "cause"]
    list_filter = ["priority", "cause", "reopened"]
    search_fields = ["external_id", "contract__reference", "service", "summary"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract", "created_by"]
    date_hierarchy = "opened_at"
    inlines = [IncidentPauseInline]


@admin.register(Outage)
class OutageAdmin(admin.ModelAdmin):
    list_display = ["external_id", "contract", "service", "start", "end", "planned", "cause"]
    list_filter = ["planned", "cause"]
    search_fields = ["external_id", "contract__reference", "service", "summary"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract", "created_by"]
    date_hierarchy = "start"


@admin.register(WorkLog)
class WorkLogAdmin(admin.ModelAdmin):
    list_display = ["external_id", "contract", "date", "hours", "person", "billable"]
    list_filter = ["billable"]
    search_fields = ["external_id", "contract__reference", "person", "description"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract", "created_by"]
    date_hierarchy = "date"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "organisation", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "user__email", "prefix"]
    list_select_related = ["user", "organisation"]
    raw_id_fields = ["user", "organisation"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "preset", "date_format", "time_zone", "last_used_at"]
    list_filter = ["kind", "preset"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["organisation", "created_by"]
    readonly_fields = ["created_at", "updated_at", "last_used_at"]


# Evaluations, reports and deliveries are records of what was computed and sent: the
# operator reads them here; the portal's services are the only writers.
class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Evaluation)
class EvaluationAdmin(_ReadOnlyAdmin):
    list_display = ["contract", "period", "revision", "computed_at"]
    list_filter = ["period"]
    search_fields = ["contract__reference"]
    list_select_related = ["contract"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    extra = 0
    can_delete = False
    readonly_fields = ["email", "kind", "status", "attempts", "reason", "sent_at"]
    fields = readonly_fields


@admin.register(Report)
class ReportAdmin(_ReadOnlyAdmin):
    list_display = ["contract", "period", "revision", "status", "rendered_at"]
    list_filter = ["status", "period"]
    search_fields = ["contract__reference", "verification_code"]
    list_select_related = ["contract"]
    inlines = [DeliveryInline]


class ReportRunItemInline(admin.TabularInline):
    model = ReportRunItem
    extra = 0
    can_delete = False
    readonly_fields = ["contract", "status", "report", "attempts", "error", "finished_at"]
    fields = readonly_fields


@admin.register(ReportRun)
class ReportRunAdmin(_ReadOnlyAdmin):
    list_display = ["period", "trigger", "started_at", "contracts_total"]
    inlines = [ReportRunItemInline]


@admin.register(Delivery)
class DeliveryAdmin(_ReadOnlyAdmin):
    list_display = ["report", "email", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "report__contract__reference"]


@admin.register(ReportRunItem)
class ReportRunItemAdmin(_ReadOnlyAdmin):
    list_display = ["run", "contract", "status", "attempts", "finished_at"]
    list_filter = ["status"]
    list_select_related = ["run", "contract"]


@admin.register(IncidentPause)
class IncidentPauseAdmin(admin.ModelAdmin):
    list_display = ["incident", "start", "end"]
    list_select_related = ["incident__contract"]
    raw_id_fields = ["incident"]


@admin.register(KpiValue)
class KpiValueAdmin(admin.ModelAdmin):
    list_display = ["contract", "service_level_key", "period", "value", "recorded_at"]
    list_select_related = ["contract"]
    raw_id_fields = ["contract"]


@admin.register(Dispute)
class DisputeAdmin(_ReadOnlyAdmin):
    list_display = ["report", "kind", "subject", "status", "raised_at", "answered_at"]
    list_filter = ["status", "kind"]
    search_fields = ["report__contract__reference", "subject"]
    list_select_related = ["report__contract"]


@admin.register(ReportAcknowledgement)
class ReportAcknowledgementAdmin(_ReadOnlyAdmin):
    list_display = ["report", "acknowledged_by", "acknowledged_at"]
    list_select_related = ["report__contract", "acknowledged_by"]


class CreditNoteDeliveryInline(admin.TabularInline):
    model = CreditNoteDelivery
    extra = 0
    can_delete = False
    readonly_fields = ["email", "kind", "status", "attempts", "reason", "sent_at"]
    fields = readonly_fields


@admin.register(CreditNoteDelivery)
class CreditNoteDeliveryAdmin(_ReadOnlyAdmin):
    list_display = ["credit_note", "email", "kind", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["email", "credit_note__number", "credit_note__contract__reference"]
    list_select_related = ["credit_note"]


@admin.register(CreditNote)
class CreditNoteAdmin(_ReadOnlyAdmin):
    list_display = ["number", "contract", "period", "amount", "currency", "status", "invoice_reference"]
    list_filter = ["status"]
    search_fields = ["number", "contract__reference", "verification_code", "invoice_reference"]
    list_select_related = ["contract"]
    inlines = [CreditNoteDeliveryInline]


@admin.register(CreditNoteCounter)
class CreditNoteCounterAdmin(_ReadOnlyAdmin):
    list_display = ["provider", "year", "last_number"]
    list_select_related = ["provider"]


@admin.register(EventSource)
class EventSourceAdmin(admin.ModelAdmin):
    """Sources are managed by the provider's admins on the contract's Sources tab (or, when
    provider-wide, on the organisation's); the operator sees them here, with the secret and
    token left out of the list."""

    list_display = ["name", "contract", "organisation", "kind", "paused", "rate_limit", "created_at"]
    list_filter = ["kind", "paused"]
    search_fields = ["name", "contract__reference", "organisation__name"]
    readonly_fields = ["token", "secret", "secret_rotated_at", "created_at", "created_by"]
    raw_id_fields = ["contract", "organisation"]


@admin.register(SourceRoute)
class SourceRouteAdmin(admin.ModelAdmin):
    """Which value of a provider-wide source goes to which contract."""

    list_display = ["source", "match_value", "contract"]
    list_select_related = ["source", "contract"]
    search_fields = ["match_value", "contract__reference", "source__name"]
    raw_id_fields = ["source", "contract"]


@admin.register(SourceDelivery)
class SourceDeliveryAdmin(_ReadOnlyAdmin):
    list_display = ["received_at", "source", "outcome", "status_code", "reason"]
    list_filter = ["outcome", "status_code"]


@admin.register(TicketStatusChange)
class TicketStatusChangeAdmin(_ReadOnlyAdmin):
    list_display = ["external_id", "source", "status", "at"]


@admin.register(BreachWarning)
class BreachWarningAdmin(admin.ModelAdmin):
    list_display = ("contract", "period", "kind", "level_name", "threshold", "subject", "created_at")
    list_filter = ("kind", "threshold")
    search_fields = ("contract__reference", "subject", "message")
    raw_id_fields = ("contract",)
