from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.selectors import all_schemes
from kompeten.core.forms import BootstrapMixin


class AssessorFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Nama, nomor MET, instansi")}))
    scheme = forms.ModelChoiceField(label=_("Skema"), required=False, queryset=all_schemes(),
                                    empty_label=_("Semua skema"))
    validity = forms.ChoiceField(label=_("Registrasi"), required=False, choices=[
        ("", _("Semua")), ("valid", _("Berlaku")), ("expiring", _("Berakhir ≤ 90 hari")),
        ("expired", _("Tidak berlaku"))])
