"""The Django admin: read-only for every record the SOP creates; any other change is logged with who and why.

Records of the SOP (cases, documents, reviews, events, assessment records, decisions, certificates,
agreements, surveillance, the action log, notifications) change only through the services, which check the
workflow and write the action log. Their admins use ReadOnlyAdminMixin. What the admin may still change
(schemes, TUK, the assessor registry, users) uses AuditedAdminMixin: the form asks for a reason, and each
save or delete is written to the one action log with who did it. Roles are never changed on oneself, and
only by a superuser.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.models import ActionLog, Notification, RoleAssignment, User

register_act_labels({
    "admin_add": _("Ditambahkan melalui admin Django"),
    "admin_change": _("Diubah melalui admin Django"),
    "admin_delete": _("Dihapus melalui admin Django"),
    "admin_roles": _("Peran diubah melalui admin Django"),
})

REASON_FIELD = "admin_reason"


class ReadOnlyAdminMixin:
    """A record of the SOP: the admin site shows it, never adds, changes or deletes it (nor its inlines)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False


def _with_reason(form_class):
    if REASON_FIELD in getattr(form_class, "declared_fields", {}):
        return form_class
    field = forms.CharField(label=_("Alasan perubahan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}),
                            help_text=_("Dicatat di log tindakan bersama nama Anda."))
    return type(form_class.__name__, (form_class,), {REASON_FIELD: field})


class AuditedAdminMixin:
    """What the admin may change: every add, change and delete asks for a reason (when there is a form)
    and lands in the one action log with who did it and which fields changed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form = _with_reason(self.form)
        if getattr(self, "add_form", None) is not None:
            self.add_form = _with_reason(self.add_form)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if not any(REASON_FIELD in (opts.get("fields") or ()) for _name, opts in fieldsets):
            fieldsets.append((_("Alasan perubahan"), {"fields": [REASON_FIELD]}))
        return fieldsets

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = [f for f in form.changed_data if f != REASON_FIELD]
        log_action(request.user, "admin_change" if change else "admin_add", obj,
                   reason=form.cleaned_data.get(REASON_FIELD, ""),
                   data={"model": obj._meta.label, "fields": changed})

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        rows = [("added", o) for o in formset.new_objects] + [("changed", o) for o, _f in formset.changed_objects] \
            + [("deleted", o) for o in formset.deleted_objects]
        if rows:
            act = "admin_roles" if formset.model is RoleAssignment else "admin_change"
            log_action(request.user, act, form.instance, reason=form.cleaned_data.get(REASON_FIELD, ""),
                       data={"model": formset.model._meta.label, "rows": [[what, str(o)] for what, o in rows]})

    def delete_model(self, request, obj):
        log_action(request.user, "admin_delete", obj, data={"model": obj._meta.label, "was": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            log_action(request.user, "admin_delete", obj, data={"model": obj._meta.label, "was": str(obj)})
        super().delete_queryset(request, queryset)


def may_change_roles(request, user):
    """Roles are given in the admin only by a superuser, and never to oneself."""
    return request.user.is_superuser and (user is None or user.pk != request.user.pk)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["site"]

    def has_add_permission(self, request, obj=None):
        return may_change_roles(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_change_roles(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_change_roles(request, obj) and super().has_delete_permission(request, obj)

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if may_change_roles(request, obj) else 0


# Fields through which a person could widen their own powers.
POWER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(AuditedAdminMixin, DjangoUserAdmin):
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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not may_change_roles(request, obj):
            readonly += [f for f in POWER_FIELDS if f not in readonly]
        return readonly


@admin.register(ActionLog)
class ActionLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is never edited or deleted."""

    list_display = ["at", "actor", "act", "content_type", "object_id", "status_before", "status_after"]
    list_filter = ["act", "content_type"]
    search_fields = ["act", "reason", "actor__username"]
    list_select_related = ["actor", "content_type"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "done_at"]
    search_fields = ["title", "recipient__email"]
    list_select_related = ["recipient"]
