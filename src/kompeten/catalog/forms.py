from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.models import Scheme
from kompeten.core.concurrency import VersionedForm
from kompeten.core.forms import BootstrapMixin

MAX_SCHEME_FILE_MB = 5


class SchemeFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Judul, nomor, kode unit")}))
    type = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis"))] + list(Scheme.Type.choices))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("Semua status")), ("active", _("Aktif")), ("inactive", _("Nonaktif"))])


class SchemeForm(BootstrapMixin, VersionedForm, forms.ModelForm):
    """The scheme's own fields and its requirements; units come through the scheme file."""

    basic_requirements = forms.CharField(
        label=_("Persyaratan dasar"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu persyaratan per baris. Akhiri dengan “atau;” bila persyaratan dasar adalah pilihan."))
    administrative_requirements = forms.CharField(
        label=_("Persyaratan administratif"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu persyaratan per baris; masing-masing menjadi isian unggah di APL.01."))

    class Meta:
        model = Scheme
        fields = ["number", "code", "title", "type", "kkni_level", "sector", "validity_years", "fee",
                  "is_active", "is_licensed", "summary", "reference_standard", "evidence", "evidence_types", "rules",
                  "process", "rights_duties"]
        widgets = {f: forms.Textarea(attrs={"rows": 3}) for f in
                   ["summary", "reference_standard", "evidence", "evidence_types", "rules", "process", "rights_duties"]}

    def __init__(self, *args, frozen=False, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["number"].widget.attrs.update(placeholder="SKM/LSP-TDN/01/2026")
        f["code"].widget.attrs.update(pattern="[-a-zA-Z0-9_]+", title=_("Huruf, angka, tanda - dan _"))
        f["kkni_level"].widget.attrs.update(min=1, max=9)
        f["validity_years"].widget.attrs.update(min=1, max=10)
        f["fee"].widget.attrs.update(min=0, step=1)
        f["is_active"].help_text = _("Skema aktif tampil di katalog publik dan dapat dimohon.")
        if self.instance.pk:
            reqs = sorted(self.instance.requirements.all(), key=lambda r: (r.kind != "basic", r.order, r.pk))
            self.initial.setdefault("basic_requirements", "\n".join(r.text for r in reqs if r.kind == "basic"))
            self.initial.setdefault("administrative_requirements",
                                    "\n".join(r.text for r in reqs if r.kind == "administrative"))
        if frozen:
            for name in ("basic_requirements", "administrative_requirements"):
                f[name].disabled = True
                f[name].help_text = _("Dibekukan: sudah ada permohonan untuk skema ini (APL.01 merujuk ke "
                                      "persyaratannya).")

    def clean(self):
        data = super().clean()
        if data.get("type") == Scheme.Type.KKNI and not data.get("kkni_level"):
            self.add_error("kkni_level", _("Skema KKNI memerlukan jenjang 1–9."))
        return data

    def service_values(self):
        d = dict(self.cleaned_data)
        d.pop("edit_version", None)  # the edit view takes it first (take_version); a new scheme has none
        reqs = {k: d.pop(k) for k in ("basic_requirements", "administrative_requirements")}
        if self.fields["basic_requirements"].disabled:
            reqs = {}
        return d, reqs


class SchemeFileForm(BootstrapMixin, forms.Form):
    file = forms.FileField(label=_("Berkas skema (JSON atau YAML)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".json,.yaml,.yml,application/json"}),
                           help_text=_("Format: docs/scheme-format.md. Memuat ulang mengganti unit, elemen dan KUK "
                                       "selama belum ada permohonan."))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_SCHEME_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (maks. %(mb)s MB).") % {"mb": MAX_SCHEME_FILE_MB})
        return f
