from django.contrib import admin

from kompeten.catalog.models import Criterion, Element, Requirement, Scheme, Unit
from kompeten.core.admin import AuditedAdminMixin


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0
    fields = ["order", "code", "title", "standard_type"]
    show_change_link = True


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0
    fields = ["kind", "order", "text", "needs_upload"]


@admin.register(Scheme)
class SchemeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "number", "type", "kkni_level", "sector", "fee", "is_licensed", "is_active"]
    list_filter = ["type", "is_active", "is_licensed", "sector"]
    search_fields = ["title", "number", "code", "units__code", "units__title"]
    prepopulated_fields = {"code": ["title"]}
    inlines = [UnitInline, RequirementInline]


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0
    fields = ["order", "title"]
    show_change_link = True


@admin.register(Unit)
class UnitAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "title", "scheme", "standard_type"]
    list_filter = ["scheme", "standard_type"]
    search_fields = ["code", "title"]
    list_select_related = ["scheme"]
    inlines = [ElementInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "number", "text"]


@admin.register(Element)
class ElementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "unit"]
    list_filter = ["unit__scheme"]
    search_fields = ["title", "unit__code"]
    list_select_related = ["unit"]
    inlines = [CriterionInline]
