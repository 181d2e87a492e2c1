from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kompeten.catalog.selectors import active_schemes, all_schemes
from kompeten.core.forms import BootstrapMixin, Prepared
from kompeten.events.models import AssessmentEvent, ConflictKind
from kompeten.people.selectors import assessors_by_ids, assessors_for_scheme
from kompeten.sites.selectors import active_sites, all_sites, sites_fit_for

DT_WIDGET = {"type": "datetime-local"}


class EventFilterForm(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("Cari"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("Nomor, nama kegiatan, skema")}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Semua status"))] + list(AssessmentEvent.Status.choices))
    scheme = forms.ModelChoiceField(label=_("Skema"), required=False, queryset=all_schemes(),
                                    empty_label=_("Semua skema"))
    site = forms.ModelChoiceField(label=_("TUK"), required=False, queryset=all_sites(),
                                  empty_label=_("Semua TUK"))


class EventForm(BootstrapMixin, forms.Form):
    scheme = forms.ModelChoiceField(label=_("Skema sertifikasi"), queryset=active_schemes())
    title = forms.CharField(label=_("Nama kegiatan"), max_length=200, required=False,
                            help_text=_("Opsional, misalnya “Uji Kompetensi Batch 3 — Politeknik Digital”."))
    starts_at = forms.DateTimeField(label=_("Mulai"), widget=forms.DateTimeInput(attrs=DT_WIDGET))
    ends_at = forms.DateTimeField(label=_("Selesai"), widget=forms.DateTimeInput(attrs=DT_WIDGET))
    quota = forms.IntegerField(label=_("Kuota asesi"), min_value=1, max_value=500, initial=10)
    site = forms.ModelChoiceField(label=_("TUK"), required=False, queryset=active_sites(),
                                  help_text=_("Boleh ditetapkan nanti. TUK harus terverifikasi dan layak untuk skema."))


UNDECIDED = ""
FEASIBILITY_CHOICES = [("1", _("Memenuhi")), ("0", _("Tidak memenuhi")), (UNDECIDED, _("Belum diputuskan"))]


class FeasibilityForm(BootstrapMixin, forms.Form):
    """The whole feasibility checklist (S1.3) in one form: per item meets / does not meet / not yet decided
    (what was recorded is shown as chosen; nothing else is) and a note."""

    def __init__(self, *args, rows, **kwargs):
        self.rows_in = rows
        initial = {}
        for row in rows:
            check = row["check"]
            initial[f"ok_{row['item']}"] = UNDECIDED if check is None else ("1" if check.ok else "0")
            initial[f"note_{row['item']}"] = check.note if check else ""
        super().__init__(*args, initial=initial, **kwargs)
        for row in rows:
            self.fields[f"ok_{row['item']}"] = forms.ChoiceField(
                label=_("Hasil"), choices=FEASIBILITY_CHOICES, required=False, widget=forms.RadioSelect)
            self.fields[f"note_{row['item']}"] = forms.CharField(
                label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Wajib bila tidak memenuhi."))
        # BootstrapMixin styled the fields that existed in its __init__; style the ones added here too.
        for f in self.fields.values():
            css = "form-check-input" if isinstance(f.widget, forms.RadioSelect) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def items(self):
        """[(row, result field, note field)] for the template."""
        return [(row, self[f"ok_{row['item']}"], self[f"note_{row['item']}"]) for row in self.rows_in]

    def findings(self):
        """{item: (True/False/None, note)} for the items the form sent (an item not sent is left alone)."""
        out = {}
        for row in self.rows_in:
            code = row["item"]
            if f"ok_{code}" not in self.data:
                continue
            value = self.cleaned_data.get(f"ok_{code}") or UNDECIDED
            out[code] = ({"1": True, "0": False}.get(value), self.cleaned_data.get(f"note_{code}", ""))
        return out


class DesignateSiteForm(BootstrapMixin, Prepared, forms.Form):
    site = forms.ModelChoiceField(label=_("TUK"), queryset=all_sites().none(), error_messages={
        "invalid_choice": _("TUK ini belum diverifikasi atau belum dinyatakan layak untuk skema jadwal ini. "
                            "Verifikasi TUK dulu (menu TUK), lalu tetapkan.")})

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def prepare(self):
        event = self.event
        self.fields["site"].queryset = sites_fit_for(event.scheme)
        self.fields["site"].help_text = _("Hanya TUK yang dinyatakan layak untuk skema ini.")


class AssignAssessorForm(BootstrapMixin, Prepared, forms.Form):
    assessor = forms.ModelChoiceField(label=_("Asesor"), queryset=assessors_by_ids([]), error_messages={
        "invalid_choice": _("Asesor ini sudah ditugaskan pada jadwal ini, atau tidak terdaftar untuk skema ini "
                            "dengan registrasi MET yang berlaku pada tanggal uji.")})

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def prepare(self):
        event = self.event
        on = timezone.localdate(event.starts_at)
        self.fields["assessor"].queryset = (assessors_for_scheme(event.scheme)
                                            .filter(registration_valid_until__gte=on)
                                            .exclude(assignments__event=event))
        self.fields["assessor"].help_text = _("Hanya asesor yang terdaftar untuk skema ini dengan registrasi MET "
                                              "berlaku pada tanggal uji.")


class ReasonForm(BootstrapMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(BootstrapMixin, Prepared, forms.Form):
    event = forms.ModelChoiceField(label=_("Jadwal uji kompetensi"), queryset=AssessmentEvent.objects.none())
    assessor = forms.ModelChoiceField(label=_("Asesor"), queryset=assessors_by_ids([]))
    override_reason = forms.CharField(
        label=_("Alasan pengecualian konflik kepentingan"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Isi hanya bila tetap menugaskan asesor yang memiliki konflik; dicatat di log tindakan."))

    def __init__(self, *args, events, assessors, **kwargs):
        self.events, self.assessors = events, assessors
        super().__init__(*args, **kwargs)

    def prepare(self):
        self.fields["event"].queryset = self.events
        self.fields["assessor"].queryset = self.assessors


class ConflictForm(BootstrapMixin, Prepared, forms.Form):
    case = forms.ChoiceField(label=_("Asesi"))
    kind = forms.ChoiceField(label=_("Jenis"), choices=ConflictKind.choices, widget=forms.RadioSelect)
    has_conflict = forms.TypedChoiceField(
        label=_("Pernyataan"), coerce=lambda v: v == "1", widget=forms.RadioSelect,
        choices=[("1", _("Ya, ada konflik kepentingan")), ("0", _("Tidak ada konflik kepentingan"))])
    note = forms.CharField(label=_("Keterangan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, cases, **kwargs):
        self.case_list = cases
        super().__init__(*args, **kwargs)

    def prepare(self):
        cases = self.case_list
        self.cases = {str(c.pk): c for c in cases}
        self.fields["case"].choices = [("", "—")] + [(str(c.pk), f"{c.candidate.display_name} ({c.number})")
                                                     for c in cases]


class LoadFilterForm(BootstrapMixin, forms.Form):
    start = forms.DateField(label=_("Dari"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ImportUploadForm(BootstrapMixin, forms.Form):
    """The file of candidates (XLSX or CSV on the template)."""

    file = forms.FileField(label=_("Berkas XLSX atau CSV"), help_text=_(
        "Gunakan templat di atas. CSV boleh dipisah titik koma (;) atau koma (,)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}))


class ImportStartForm(BootstrapMixin, forms.Form):
    """All rows (only when none has a problem) or only the valid rows."""

    mode = forms.ChoiceField(label=_("Yang diimpor"), widget=forms.RadioSelect)

    def __init__(self, *args, imp, **kwargs):
        super().__init__(*args, **kwargs)
        valid = imp.valid_rows
        if imp.error_rows:
            self.fields["mode"].choices = [
                ("valid", ngettext("Hanya %(n)s baris yang valid; %(bad)s baris bermasalah dilewati",
                                   "Hanya %(n)s baris yang valid; %(bad)s baris bermasalah dilewati", valid)
                 % {"n": valid, "bad": imp.error_rows})]
            self.fields["mode"].initial = "valid"
            self.fields["mode"].help_text = _(
                "Mengimpor semua baris hanya dapat dilakukan bila tidak ada baris yang bermasalah: perbaiki berkasnya "
                "lalu unggah lagi.")
        else:
            self.fields["mode"].choices = [
                ("all", ngettext("Semua %(n)s baris", "Semua %(n)s baris", valid) % {"n": valid})]
            self.fields["mode"].initial = "all"
