from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.selectors import all_schemes
from kompeten.core.concurrency import VersionedForm
from kompeten.core.forms import BootstrapMixin
from kompeten.people.models import normalise_met_number, validate_met_number


class AssessorFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Nama, nomor MET, instansi")}))
    scheme = forms.ModelChoiceField(label=_("Skema"), required=False, queryset=all_schemes(),
                                    empty_label=_("Semua skema"))
    validity = forms.ChoiceField(label=_("Registrasi"), required=False, choices=[
        ("", _("Semua")), ("valid", _("Berlaku")), ("expiring", _("Berakhir ≤ 90 hari")),
        ("expired", _("Tidak berlaku"))])


class AssessorForm(BootstrapMixin, VersionedForm, forms.Form):
    """Register (email given) or edit (no email field) an assessor. The browser checks as one types."""

    email = forms.EmailField(label=_("Email"), help_text=_(
        "Email yang sudah punya akun menjadikan orang itu asesor; email baru membuat akun dan mengirim undangan "
        "untuk mengatur kata sandi."))
    full_name = forms.CharField(label=_("Nama lengkap"), max_length=150, required=False,
                                help_text=_("Wajib untuk orang baru; dicetak di surat tugas dan formulir."))
    met_number = forms.CharField(
        label=_("Nomor registrasi (MET)"), max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "MET.000.004512 2019", "pattern": r"\s*[Mm][Ee][Tt]\.\d{3}\.\d{6}\s+\d{4}\s*",
                                      "title": _("MET.000.NNNNNN TTTT")}))
    schemes = forms.ModelMultipleChoiceField(label=_("Skema yang boleh diases"), required=False,
                                             queryset=all_schemes(), widget=forms.CheckboxSelectMultiple)
    valid_until = forms.DateField(label=_("Registrasi berlaku sampai"), widget=forms.DateInput())
    employer = forms.CharField(label=_("Instansi/tempat kerja"), max_length=200, required=False,
                               help_text=_("Dipakai untuk memeriksa konflik kepentingan dengan asesi."))
    is_active = forms.BooleanField(label=_("Aktif"), required=False, initial=True)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["email"]
            self.fields["full_name"].required = True
            self.fields["full_name"].help_text = ""
        else:
            del self.fields["is_active"]

    def clean_met_number(self):
        value = normalise_met_number(self.cleaned_data["met_number"])
        validate_met_number(value)
        return value
