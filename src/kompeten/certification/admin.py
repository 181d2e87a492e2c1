from django.contrib import admin

from kompeten.core.admin import ReadOnlyAdminMixin, ReadOnlyInline

from .models import (
    Certificate,
    Decision,
    DigitalCredential,
    HolderAgreement,
    Surveillance,
    SurveillanceCheck,
    VerificationScan,
)


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "decision", "decided_by", "decided_at", "meeting_ref"]
    list_filter = ["decision"]
    search_fields = ["case__number", "meeting_ref"]
    readonly_fields = ["case", "decided_by", "decision", "recommendation", "decided_at"]


@admin.register(HolderAgreement)
class HolderAgreementAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["case", "signed_by", "signed_at"]
    readonly_fields = ["case", "signed_by", "signed_at", "text"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "holder_name", "scheme", "issued_on", "valid_until", "status"]
    list_filter = ["status", "scheme"]
    search_fields = ["number", "holder_name", "bnsp_registration_number", "blanko_number"]
    readonly_fields = ["number", "case", "holder_name", "scheme", "issued_on", "valid_until", "public_id",
                       "issued_by", "issued_at"]


class SurveillanceCheckInline(ReadOnlyInline):
    model = SurveillanceCheck


@admin.register(Surveillance)
class SurveillanceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["certificate", "enrolled_by", "enrolled_at"]
    inlines = [SurveillanceCheckInline]
    readonly_fields = ["certificate", "enrolled_by", "enrolled_at"]


@admin.register(VerificationScan)
class VerificationScanAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["certificate", "at", "channel", "user_agent"]
    readonly_fields = ["certificate", "at", "ip_hash", "user_agent", "channel"]


@admin.register(DigitalCredential)
class DigitalCredentialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Signed documents are looked at, never edited: a change would break their signature."""

    list_display = ["certificate", "status_index", "created_at"]
    search_fields = ["certificate__number", "certificate__holder_name"]
    readonly_fields = ["certificate", "status_index", "document", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
