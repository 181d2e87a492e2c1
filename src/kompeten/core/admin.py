from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kompeten.core.models import ActionLog, Notification, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["site"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleInline]
    list_display = ["username", "email", "first_name", "last_name", "roles_display", "is_active"]
    list_filter = ["roles__role", "is_active", "is_staff"]
    search_fields = ["username", "email", "first_name", "last_name"]
    fieldsets = DjangoUserAdmin.fieldsets + ((_("Kontak"), {"fields": ["phone", "language"]}),)

    @admin.display(description=_("peran"))
    def roles_display(self, obj):
        return ", ".join(str(r.get_role_display()) for r in obj.roles.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("roles")


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    """Read-only: the log is never edited or deleted."""

    list_display = ["at", "actor", "act", "content_type", "object_id", "status_before", "status_after"]
    list_filter = ["act", "content_type"]
    search_fields = ["act", "reason", "actor__username"]
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "done_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
