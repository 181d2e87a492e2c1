from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kompeten.core.admin import AuditedAdminMixin, ReadOnlyAdminMixin
from kompeten.sites.models import Site, SiteVerification


@admin.register(Site)
class SiteAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "type", "city", "verified_until", "is_active"]
    list_filter = ["type", "is_active"]
    search_fields = ["code", "name", "city"]
    raw_id_fields = ["head"]
    # verification date and fit schemes are set only by a recorded verification (sites:verify)
    readonly_fields = ["verified_until", "schemes_list"]
    exclude = ["schemes"]

    @admin.display(description=_("Skema yang layak diujikan"))
    def schemes_list(self, obj):
        return ", ".join(s.title for s in obj.schemes.all()) if obj.pk else "—"


@admin.register(SiteVerification)
class SiteVerificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["site", "verified_at", "passed", "verified_until", "verified_by"]
    list_filter = ["passed"]
