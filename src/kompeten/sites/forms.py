from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.selectors import active_schemes
from kompeten.core.concurrency import VersionedForm
from kompeten.core.forms import BootstrapMixin, Prepared
from kompeten.sites.models import FacilityItem, Site

OK_CHOICES = [("1", _("Memenuhi")), ("0", _("Tidak memenuhi"))]


class SiteFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Kode, nama, kota")}))
    type = forms.ChoiceField(label=_("Jenis"), required=False, choices=[("", _("Semua jenis"))] + list(Site.Type.choices))
    verified = forms.ChoiceField(label=_("Verifikasi"), required=False, choices=[
        ("", _("Semua")), ("yes", _("Terverifikasi")), ("no", _("Belum/kedaluwarsa"))])


class VerifyForm(BootstrapMixin, Prepared, forms.Form):
    """One radio (meets / does not) and one note per facility, the validity date and the fit schemes."""

    verified_until = forms.DateField(label=_("Verifikasi berlaku sampai"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))
    schemes = forms.ModelMultipleChoiceField(label=_("Skema yang layak diujikan"), required=False,
                                             queryset=active_schemes(),
                                             widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("Catatan verifikasi"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def prepare(self):
        extra = {}
        for code, label in FacilityItem.choices:
            extra[f"ok_{code}"] = forms.ChoiceField(label=label, choices=OK_CHOICES, widget=forms.RadioSelect)
            extra[f"note_{code}"] = forms.CharField(label=_("Catatan"), required=False)
        self.fields = {**extra, **self.fields}

    def item_pairs(self):
        return [(self[f"ok_{code}"], self[f"note_{code}"]) for code in FacilityItem.values]

    def items(self):
        d = self.cleaned_data
        return {code: (d[f"ok_{code}"] == "1", d.get(f"note_{code}", "")) for code in FacilityItem.values}


class SiteForm(BootstrapMixin, VersionedForm, forms.ModelForm):
    """A TUK's own data and its head; verification (date, fit schemes) has its own screen."""

    head_email = forms.EmailField(label=_("Email ketua TUK"), required=False, help_text=_(
        "Akun dengan email ini menjadi Ketua TUK untuk TUK ini. Email baru: isi juga namanya; akun dibuat dan "
        "undangan untuk mengatur kata sandi dikirim."))
    head_name = forms.CharField(label=_("Nama ketua TUK (orang baru)"), max_length=150, required=False)

    class Meta:
        model = Site
        fields = ["code", "name", "type", "address", "city", "is_active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.update(placeholder="TUK-BDG-01")
        self.fields["is_active"].help_text = _("TUK nonaktif tidak dapat ditetapkan pada jadwal.")
        if self.instance.pk and self.instance.head_id:
            self.initial.setdefault("head_email", self.instance.head.email)
