"""Forms of the admin's accounts-and-roles screens (desk/users.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import Role
from kompeten.sites.selectors import active_sites


class UserFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("Nama, email atau nama pengguna")}))
    role = forms.ChoiceField(label=_("Peran"), required=False,
                             choices=[("", _("Semua peran")), ("none", _("Tanpa peran"))] + list(Role.choices))


class GrantRoleForm(BootstrapMixin, forms.Form):
    role = forms.ChoiceField(label=_("Peran"), choices=[("", _("Pilih peran"))] + list(Role.choices))
    site = forms.ModelChoiceField(label=_("TUK (untuk Ketua TUK)"), required=False, queryset=active_sites(),
                                  empty_label=_("— bukan Ketua TUK —"))
    reason = forms.CharField(label=_("Alasan"), max_length=500,
                             help_text=_("Misalnya nomor SK penugasan. Dicatat di log dan dikirim kepada orangnya."),
                             widget=forms.TextInput(attrs={"placeholder": _("SK Ketua LSP No. …")}))


class RevokeRoleForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan pencabutan"), max_length=500,
                             widget=forms.TextInput(attrs={"placeholder": _("Misalnya: masa tugas berakhir")}))
