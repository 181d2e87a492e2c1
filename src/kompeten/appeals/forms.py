"""Forms of the appeals app (parsing only; the rules live in services.py)."""

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.core.forms import BootstrapMixin

from .models import Grievance

YES_NO = [("1", _("Ya")), ("0", _("Tidak"))]
STAMP_SALT = "appeals.complaint-form"


def _yes_no(label):
    return forms.TypedChoiceField(label=label, choices=YES_NO, widget=forms.RadioSelect, required=False,
                                  coerce=lambda v: v == "1", empty_value=None)


class AppealForm(BootstrapMixin, forms.Form):
    """FR.AK.04: the three questions, the reasons, the signature (FORMS.md §8)."""

    explained = _yes_no(_("Apakah Proses Banding telah dijelaskan kepada Anda?"))
    discussed = _yes_no(_("Apakah Anda telah mendiskusikan Banding dengan Asesor?"))
    involve_other = _yes_no(_("Apakah Anda mau melibatkan “orang lain” membantu Anda dalam Proses Banding?"))
    reasons = forms.CharField(label=_("Banding ini diajukan atas alasan sebagai berikut :"), required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))
    consent = forms.BooleanField(label=_("Saya menandatangani banding ini; isinya benar dan dapat saya "
                                         "pertanggungjawabkan."), required=False)


class ComplaintForm(BootstrapMixin, forms.Form):
    about = forms.ChoiceField(label=_("Pengaduan tentang"), widget=forms.RadioSelect, required=False,
                              choices=[(Grievance.About.LSP, _("Layanan atau proses LSP (pendaftaran, asesmen, "
                                                               "asesor, TUK, keputusan)")),
                                       (Grievance.About.HOLDER, _("Pemegang sertifikat (misalnya penyalahgunaan "
                                                                  "sertifikat)"))])
    certificate_number = forms.CharField(label=_("Nomor sertifikat (bila ada)"), max_length=60, required=False,
                                         widget=forms.TextInput(attrs={"placeholder": "CERT/LSP-TDN/JWD/2026/00001"}))
    subject = forms.CharField(label=_("Perihal"), max_length=200, required=False)
    reasons = forms.CharField(label=_("Uraian pengaduan"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Apa yang terjadi, kapan, siapa yang terlibat, dan apa yang Anda harapkan."))
    name = forms.CharField(label=_("Nama Anda"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False,
                             help_text=_("Tanda terima dan hasil penanganan dikirim ke alamat ini."))
    phone = forms.CharField(label=_("Telepon (opsional)"), max_length=30, required=False)
    # Spam guard without a CAPTCHA: a field people do not see (bots fill it) and the time the form was shown.
    website = forms.CharField(required=False, label=_("Situs web"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
    shown = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        if account is not None:  # the account says who they are
            for name in ("name", "email"):
                del self.fields[name]
        if not self.is_bound:
            self.initial["shown"] = signing.dumps(timezone.now().timestamp(), salt=STAMP_SALT)

    def elapsed(self):
        """Seconds since the form was shown (None when the stamp is missing or forged)."""
        try:
            shown = signing.loads(self.data.get("shown", ""), salt=STAMP_SALT, max_age=24 * 3600)
        except signing.BadSignature:
            return None
        return timezone.now().timestamp() - float(shown)


class AssignForm(BootstrapMixin, forms.Form):
    handler = forms.ModelChoiceField(label=_("Penangan"), queryset=None, required=False,
                                     help_text=_("Tidak boleh orang yang pernah mengases, meninjau (FR.AK.06), "
                                                 "memutuskan, atau mengkaji dokumen permohonan ini."))

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers
        self.fields["handler"].label_from_instance = lambda u: f"{u.display_name} ({u.email})"


class NoteForm(BootstrapMixin, forms.Form):
    text = forms.CharField(label=_("Catatan penelusuran"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class DocumentForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=200, required=False)
    file = forms.FileField(label=_("Berkas (PDF, JPG atau PNG)"))


class DecideForm(BootstrapMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Keputusan"), widget=forms.RadioSelect, required=False,
                                choices=[("upheld", _("Dikabulkan")), ("rejected", _("Ditolak"))])
    reopen = forms.ChoiceField(label=_("Tindak lanjut bila banding dikabulkan"), required=False,
                               choices=[("", _("— Pilih —")),
                                        (Grievance.Reopen.ASSESSMENT, _("Asesmen ulang (kesalahan pada asesmen)")),
                                        (Grievance.Reopen.DECISION, _("Keputusan baru oleh komite (kesalahan pada "
                                                                      "keputusan)"))])
    reasons = forms.CharField(label=_("Alasan keputusan"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("Dikirim kepada para pihak."))

    def __init__(self, *args, appeal=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not appeal:
            del self.fields["reopen"]
