from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kompeten.cases.models import (
    Application,
    Case,
    Document,
    DocumentReview,
    DocumentReviewItem,
    SelfAssessmentAnswer,
)
from kompeten.core.admin import ReadOnlyAdminMixin
from kompeten.core.privacy import mask_identifier


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Records of the SOP are changed only through the services (logged); the admin site only reads them."""


class ApplicationInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = Application
    can_delete = False
    extra = 0
    # The NIK is shown masked here: the full number is on the document review page and the APL.01 PDF,
    # whose every view is logged.
    exclude = ["nik"]
    readonly_fields = ["nik_masked"]

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj):
        return mask_identifier(obj.nik) or "—"


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "candidate", "scheme", "status", "submitted_at"]
    list_filter = ["status", "scheme"]
    search_fields = ["number", "candidate__first_name", "candidate__last_name", "=application__nik"]  # NIK: exact match only
    list_select_related = ["candidate", "scheme"]
    inlines = [ApplicationInline]


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ["label", "case", "requirement", "version", "content_type", "size", "uploaded_at"]
    search_fields = ["case__number", "original_name", "title"]
    list_select_related = ["case", "requirement"]


@admin.register(SelfAssessmentAnswer)
class SelfAssessmentAnswerAdmin(ReadOnlyAdmin):
    list_display = ["case", "element", "answer"]
    search_fields = ["case__number"]
    list_select_related = ["case", "element"]


class ReviewItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentReviewItem
    extra = 0
    can_delete = False
    readonly_fields = ["requirement", "present", "meets", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DocumentReview)
class DocumentReviewAdmin(ReadOnlyAdmin):
    list_display = ["case", "outcome", "reviewer", "reviewed_at"]
    list_filter = ["outcome"]
    search_fields = ["case__number"]
    list_select_related = ["case", "reviewer"]
    inlines = [ReviewItemInline]
