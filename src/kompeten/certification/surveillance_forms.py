"""Forms of surveillance and recertification (parsing only; the rules live in surveillance.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import BootstrapMixin


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class EvidenceForm(BootstrapMixin, forms.Form):
    logbook = forms.CharField(
        label=_("Catatan kerja (logbook)"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
        help_text=_("Pekerjaan yang Anda lakukan sesuai kompetensi sejak sertifikat terbit: apa, di mana, kapan."))
    employer_statement = forms.CharField(
        label=_("Pernyataan atasan / pemberi kerja"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        max_length=5000, help_text=_("Nama, jabatan dan pernyataan atasan bahwa Anda bekerja sesuai kompetensi."))
    files = MultipleFileField(label=_("Berkas bukti (PDF, JPG atau PNG, paling banyak 5)"), required=False)


class ResultForm(BootstrapMixin, forms.Form):
    result = forms.ChoiceField(label=_("Hasil surveilan"), widget=forms.RadioSelect,
                               choices=[("satisfactory", _("Memenuhi")), ("unsatisfactory", _("Tidak memenuhi"))])
    notes = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                            max_length=5000, help_text=_("Wajib diisi bila tidak memenuhi; dikirim ke pemegang."))


class ProposeForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan usulan pembekuan"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=5000)


class KeepForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(
        label=_("Alasan sertifikat tidak dibekukan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("Misalnya: pemegang sudah menyerahkan bukti yang kurang, atau surveilan lanjutan dijadwalkan. "
                    "Dikirim ke pemegang."))
    follow_up_on = forms.DateField(
        label=_("Jadwalkan surveilan lanjutan (opsional)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Tanggal jatuh tempo bukti surveilan lanjutan; kosongkan bila tidak perlu."))
