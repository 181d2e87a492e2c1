"""Forms of the certification app (parsing only; the rules live in services.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import BootstrapMixin

from .models import Result


class DecisionForm(BootstrapMixin, forms.Form):
    decision = forms.ChoiceField(label=_("Keputusan komite"), choices=Result.choices, widget=forms.RadioSelect)
    meeting_ref = forms.CharField(label=_("Referensi rapat pleno / komite teknis"), max_length=200,
                                  required=False,
                                  help_text=_("Misalnya nomor berita acara rapat pleno, bila ada."))
    reason = forms.CharField(label=_("Alasan / catatan keputusan"), required=False,
                             widget=forms.Textarea(attrs={"rows": 4}),
                             help_text=_("Wajib diisi untuk keputusan Belum Kompeten; dikirim ke asesi."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == Result.BK and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Alasan wajib diisi untuk keputusan Belum Kompeten."))
        return data


class AgreementForm(BootstrapMixin, forms.Form):
    accept = forms.BooleanField(
        label=_("Saya telah membaca dan menyetujui ketentuan penggunaan sertifikat di atas."),
        error_messages={"required": _("Centang pernyataan ini untuk menandatangani persetujuan.")})


class EnrolForm(BootstrapMixin, forms.Form):
    first_due = forms.DateField(label=_("Tanggal surveilan pertama"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                help_text=_("Kosongkan untuk satu tahun setelah tanggal terbit; surveilan "
                                            "berikutnya setiap tahun selama masa berlaku."))


class VerifyForm(BootstrapMixin, forms.Form):
    number = forms.CharField(label=_("Nomor sertifikat"), max_length=60,
                             widget=forms.TextInput(attrs={"placeholder": "CERT/LSP-TDN/JWD/2026/00001"}))
