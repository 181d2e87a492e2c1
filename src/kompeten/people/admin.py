from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kompeten.core.admin import AuditedAdminMixin
from kompeten.core.models import Role
from kompeten.people.models import Assessor


class AssessorAdminForm(forms.ModelForm):
    class Meta:
        model = Assessor
        fields = ["user", "met_number", "schemes", "registration_valid_until", "employer", "is_active"]

    def clean_met_number(self):
        return " ".join((self.cleaned_data.get("met_number") or "").split())

    def clean_user(self):
        user = self.cleaned_data["user"]
        if not user.roles.filter(role=Role.ASSESSOR).exists():
            raise forms.ValidationError(_("Pengguna ini belum memiliki peran Asesor. Tambahkan perannya dulu."))
        return user


@admin.register(Assessor)
class AssessorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    form = AssessorAdminForm
    list_display = ["__str__", "employer", "registration_valid_until", "is_active"]
    list_filter = ["is_active", "schemes"]
    search_fields = ["user__first_name", "user__last_name", "met_number", "employer"]
    filter_horizontal = ["schemes"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
