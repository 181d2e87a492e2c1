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


class StatusActForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Dicatat di log tindakan dan dikirim kepada pemegang sertifikat."),
                             error_messages={"required": _("Alasan wajib diisi.")})
    public_note = forms.CharField(label=_("Keterangan yang dipublikasikan"), max_length=500, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text=_("Tampil di halaman verifikasi publik dan JSON-nya. Boleh kosong."))


class PublicRegisterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Nomor sertifikat atau nama pemegang"), max_length=100,
                        help_text=_("Nama: paling sedikit 3 huruf. Nomor: tulis lengkap."))


class BlankoLayoutForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        from .models import BlankoLayout

        model = BlankoLayout
        fields = ["margin_top", "margin_bottom", "margin_left", "margin_right", "font_size"]

    def clean(self):
        data = super().clean()
        for name in ("margin_top", "margin_bottom", "margin_left", "margin_right"):
            value = data.get(name)
            if value is not None and not (0 <= value <= 150):
                self.add_error(name, _("Isi antara 0 dan 150 mm."))
        size = data.get("font_size")
        if size is not None and not (6 <= size <= 24):
            self.add_error("font_size", _("Isi antara 6 dan 24 pt."))
        return data
