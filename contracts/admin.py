from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from contracts.models import (
    AgreementTemplate,
    AuditEvent,
    Calendar,
    Clause,
    ClauseCategory,
    ClauseTemplate,
    Contract,
    CreditCap,
    CreditTier,
    DataVersion,
    HoursCommitment,
    Invitation,
    MaintenanceWindow,
    Membership,
    Organisation,
    Parameter,
    ReferenceCounter,
    Responsibility,
    Service,
    ServiceLevel,
    Signature,
    SignatureRequest,
    Signer,
    SigningEvent,
    User,
    Version,
)
from contracts.services.contracts import contract_reference_next


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Name", {"fields": ("first_name", "last_name")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "is_provider", "created_at"]
    list_filter = ["is_provider"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "receives_reports"]
    list_filter = ["role", "receives_reports"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["accepted_at", "accepted_by", "email_sent_at"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "provider", "customer", "status", "start_date", "end_date"]
    list_filter = ["status"]
    search_fields = ["reference", "title", "provider__name", "customer__name"]
    readonly_fields = ["reference", "created_at", "updated_at"]
    autocomplete_fields = ["provider", "customer"]

    def save_model(self, request, obj, form, change):
        from django.db import transaction
        from django.utils import timezone

        with transaction.atomic():
            if not obj.reference:
                obj.reference = contract_reference_next(year=timezone.localdate().year)
            super().save_model(request, obj, form, change)


@admin.register(ReferenceCounter)
class ReferenceCounterAdmin(admin.ModelAdmin):
    list_display = ["year", "last_number"]


@admin.register(DataVersion)
class DataVersionAdmin(admin.ModelAdmin):
    """The token kept pages are keyed on; every write renews it, so it is only read here."""

    list_display = ["token"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# ---------------------------------------------------------------- versions, terms, clauses


class _FrozenReadOnly:
    """Rows of a frozen version are shown read-only; the models refuse changes anyway."""

    @staticmethod
    def _version_of(obj):
        return obj if isinstance(obj, Version) else obj.version

    def _is_frozen(self, obj) -> bool:
        return obj is not None and self._version_of(obj).is_frozen

    def has_change_permission(self, request, obj=None):
        return not self._is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(Version)
class VersionAdmin(_FrozenReadOnly, admin.ModelAdmin):
    list_display = ["__str__", "state", "created_at", "frozen_at", "frozen_by"]
    list_filter = ["state"]
    search_fields = ["contract__reference", "contract__title"]
    list_select_related = ["contract"]
    readonly_fields = ["state", "frozen_at", "frozen_by", "created_at", "document_sha256"]
    autocomplete_fields = ["contract"]


class _VersionPartAdmin(_FrozenReadOnly, admin.ModelAdmin):
    list_select_related = ["version__contract"]
    search_fields = ["version__contract__reference"]
    raw_id_fields = ["version"]


@admin.register(Parameter)
class ParameterAdmin(_VersionPartAdmin):
    list_display = ["name", "kind", "value", "version"]
    list_filter = ["kind"]


@admin.register(Service)
class ServiceAdmin(_VersionPartAdmin):
    list_display = ["name", "in_scope", "version"]


@admin.register(Calendar)
class CalendarAdmin(_VersionPartAdmin):
    list_display = ["name", "around_the_clock", "holiday_country", "version"]


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(_VersionPartAdmin):
    list_display = ["__str__", "version"]


@admin.register(ServiceLevel)
class ServiceLevelAdmin(_VersionPartAdmin):
    list_display = ["key", "name", "metric", "priority", "version"]
    raw_id_fields = ["version", "service", "target", "share", "calendar"]


@admin.register(CreditTier)
class CreditTierAdmin(_VersionPartAdmin):
    list_display = ["service_level", "below", "kind", "value", "version"]
    raw_id_fields = ["version", "service_level"]


@admin.register(CreditCap)
class CreditCapAdmin(_VersionPartAdmin):
    list_display = ["version", "kind", "value"]


@admin.register(HoursCommitment)
class HoursCommitmentAdmin(_VersionPartAdmin):
    list_display = ["version", "hours_per_month", "deficit_carry_months", "surplus_carry_months"]


@admin.register(Responsibility)
class ResponsibilityAdmin(_VersionPartAdmin):
    list_display = ["key", "category", "consequence", "version"]
    list_filter = ["category", "consequence"]


@admin.register(Clause)
class ClauseAdmin(_VersionPartAdmin):
    list_display = ["position", "heading", "key", "version"]
    raw_id_fields = ["version", "template"]


@admin.register(ClauseCategory)
class ClauseCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "position"]
    search_fields = ["name", "owner__name"]


@admin.register(ClauseTemplate)
class ClauseTemplateAdmin(admin.ModelAdmin):
    list_display = ["heading", "key", "category", "owner", "updated_at"]
    search_fields = ["heading", "key", "owner__name"]
    list_select_related = ["owner", "category"]


@admin.register(AgreementTemplate)
class AgreementTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "created_by", "created_at"]
    search_fields = ["name", "owner__name"]
    list_select_related = ["owner", "created_by"]


# Signing records are evidence: the operator reads them here, only the signing services write.
class _SigningRecordAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SignerInline(admin.TabularInline):
    model = Signer
    extra = 0
    fields = readonly_fields = ["order", "side", "organisation", "email", "status", "notified_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureRequest)
class SignatureRequestAdmin(_SigningRecordAdmin):
    list_display = ["version", "status", "seal_status", "created_at", "closed_at"]
    list_filter = ["status", "seal_status"]
    search_fields = ["version__contract__reference", "verification_code", "document_sha256"]
    list_select_related = ["version__contract"]
    inlines = [SignerInline]


@admin.register(Signer)
class SignerAdmin(_SigningRecordAdmin):
    list_display = ["request", "order", "side", "organisation", "email", "status"]
    list_select_related = ["request__version__contract", "organisation"]


@admin.register(Signature)
class SignatureAdmin(_SigningRecordAdmin):
    list_display = ["request", "typed_name", "organisation", "side", "signed_at", "ip_address"]
    search_fields = ["typed_name", "request__version__contract__reference"]
    list_select_related = ["request__version__contract", "organisation"]


@admin.register(SigningEvent)
class SigningEventAdmin(_SigningRecordAdmin):
    list_display = ["request", "kind", "at", "user"]
    list_filter = ["kind"]
    list_select_related = ["request__version__contract", "user"]


# The audit log is append-only: the operator reads it, only the services write it.
@admin.register(AuditEvent)
class AuditEventAdmin(_SigningRecordAdmin):
    list_display = ["created_at", "contract", "actor_name", "organisation", "action", "summary"]
    list_filter = ["action"]
    search_fields = ["contract__reference", "actor_name", "summary"]
    list_select_related = ["contract", "organisation"]
    date_hierarchy = "created_at"
