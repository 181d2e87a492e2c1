"""Forms of the assessment acts. They only parse what was typed; the rules live in services.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment import wording as W
from kompeten.core.forms import BootstrapMixin

YES_NO = [("1", _("Ya")), ("0", _("Tidak"))]
KBK_CHOICES = [("K", "K"), ("BK", "BK")]
Multi = forms.CheckboxSelectMultiple


def _text(label, required=False, rows=3):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class _Dynamic(forms.Form):
    """Lets a form add its fields (add_fields) before BootstrapMixin styles them and before validation."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_fields()

    def add_fields(self):
        pass


def _yes_no(value):
    return {"1": True, "0": False}.get(value)


class PlanForm(BootstrapMixin, _Dynamic):
    """FR.MAPA.01 (approach, per-unit plan, modifications) and FR.MAPA.02 (instrument × potensi)."""

    potensi = forms.MultipleChoiceField(label=_("1.1 Asesi"), choices=W.POTENSI, widget=Multi, required=False)
    purpose = forms.ChoiceField(label=_("Tujuan Asesmen"), choices=W.MAPA_PURPOSES, widget=forms.RadioSelect,
                                required=False)
    purpose_other = forms.CharField(label=_("Tujuan lainnya"), required=False)
    environment = forms.MultipleChoiceField(label=_("Konteks Asesmen: Lingkungan"), choices=W.MAPA_ENVIRONMENT,
                                            widget=Multi, required=False)
    opportunity = forms.MultipleChoiceField(label=_("Peluang untuk mengumpulkan bukti dalam sejumlah situasi"),
                                            choices=W.MAPA_OPPORTUNITY, widget=Multi, required=False)
    relation = forms.MultipleChoiceField(label=_("Hubungan antara standar kompetensi dan:"), choices=W.MAPA_RELATION,
                                         widget=Multi, required=False)
    who = forms.MultipleChoiceField(label=_("Siapa yang melakukan asesmen / RPL"), choices=W.MAPA_WHO, widget=Multi,
                                    required=False)
    confirm = forms.MultipleChoiceField(label=_("Konfirmasi dengan orang yang relevan"), choices=W.MAPA_CONFIRM,
                                        widget=Multi, required=False)
    benchmark = forms.MultipleChoiceField(label=_("1.2 Standar Industri atau Tempat Kerja"), choices=W.MAPA_BENCHMARK,
                                          widget=Multi, required=False)
    benchmark_text = forms.CharField(label=_("Rincian acuan (nama standar, spesifikasi, pedoman)"), required=False)

    def __init__(self, *args, event, **kwargs):
        self.event = event
        super().__init__(*args, **kwargs)

    def add_fields(self):
        event = self.event
        self.units = list(event.scheme.units.all())
        self.versions = I.validated_versions(event.scheme)
        self.instruments = sorted({v.instrument.form for v in self.versions})
        methods = dict(W.MAPA_METHODS)
        choices = [(str(v.pk), f"FR.{v.instrument.form} v{v.number} — {v.instrument.title} "
                               f"({methods[I.FORM_METHOD[v.instrument.form]]})") for v in self.versions]
        for u in self.units:
            self.fields[f"u{u.pk}_evidence"] = _text(_("Bukti-bukti (kinerja, produk, portofolio, pengetahuan)"))
            self.fields[f"u{u.pk}_types"] = forms.MultipleChoiceField(
                label=_("Jenis bukti"), choices=W.EVIDENCE_TYPES, widget=Multi, required=False)
            self.fields[f"u{u.pk}_versions"] = forms.MultipleChoiceField(
                label=_("Metode dan perangkat asesmen (versi tervalidasi)"), choices=choices, widget=Multi,
                required=False)
        for key, label, lead in W.MAPA_MODIFICATIONS:
            self.fields[f"mod_{key}"] = forms.ChoiceField(
                label=label, choices=[("0", _("Tidak ada %(what)s") % {"what": lead}),
                                     ("1", _("Ada %(what)s") % {"what": lead})], initial="0",
                widget=forms.RadioSelect)
            self.fields[f"mod_{key}_text"] = forms.CharField(label=_("Jika ada, tuliskan"), required=False)
        for form in self.instruments:
            self.fields[f"map_{form}"] = forms.MultipleChoiceField(
                label=dict(W.MAPA02_ROWS).get(form, form),
                choices=[(k, k) for k, _v in W.POTENSI], widget=Multi, required=False)

    def unit_rows(self):
        return [{"unit": u, "evidence": self[f"u{u.pk}_evidence"], "types": self[f"u{u.pk}_types"],
                 "versions": self[f"u{u.pk}_versions"]} for u in self.units]

    def modification_rows(self):
        return [(self[f"mod_{k}"], self[f"mod_{k}_text"]) for k, _label, _lead in W.MAPA_MODIFICATIONS]

    def map_rows(self):
        return [self[f"map_{form}"] for form in self.instruments]

    def to_data(self):
        d = self.cleaned_data
        mapa01 = {k: d[k] for k in ["potensi", "purpose", "purpose_other", "environment", "opportunity",
                                    "relation", "who", "confirm", "benchmark", "benchmark_text"]}
        mapa01["units"] = {
            str(u.pk): {"evidence": d[f"u{u.pk}_evidence"], "evidence_types": d[f"u{u.pk}_types"],
                        "versions": [int(pk) for pk in d[f"u{u.pk}_versions"]]}
            for u in self.units}
        mapa01["modifications"] = {k: {"has": d[f"mod_{k}"] == "1", "text": d[f"mod_{k}_text"]}
                                   for k, _label, _lead in W.MAPA_MODIFICATIONS}
        mapa02 = {form: d[f"map_{form}"] for form in self.instruments}
        return {"mapa01": mapa01, "mapa02": mapa02}

    @staticmethod
    def initial_from(plan):
        """Prefill from an earlier version, so a returned plan is corrected rather than retyped."""
        if plan is None:
            return {}
        m1, init = plan.mapa01, {}
        for k in ["potensi", "purpose", "purpose_other", "environment", "opportunity", "relation", "who", "confirm",
                  "benchmark", "benchmark_text"]:
            if k in m1:
                init[k] = m1[k]
        for uid, row in (m1.get("units") or {}).items():
            init[f"u{uid}_evidence"] = row.get("evidence", "")
            init[f"u{uid}_types"] = row.get("evidence_types", [])
            init[f"u{uid}_versions"] = [str(pk) for pk in row.get("versions") or []]
        for k, v in (m1.get("modifications") or {}).items():
            init[f"mod_{k}"] = "1" if v.get("has") else "0"
            init[f"mod_{k}_text"] = v.get("text", "")
        for form, pots in plan.mapa02.items():
            init[f"map_{form}"] = pots
        return init


class ReturnPlanForm(BootstrapMixin, forms.Form):
    comments = _text(_("Catatan perbaikan untuk asesor"), required=True, rows=4)


class ResourceCheckForm(BootstrapMixin, _Dynamic):
    note = _text(_("Catatan"), rows=2)

    def add_fields(self):
        items = {k: forms.BooleanField(label=label, required=False) for k, label in W.RESOURCE_ITEMS}
        self.fields = {**{f"item_{k}": f for k, f in items.items()}, "note": self.fields["note"]}

    def items(self):
        return {k: self.cleaned_data.get(f"item_{k}", False) for k, _label in W.RESOURCE_ITEMS}


class ConsultationForm(BootstrapMixin, forms.Form):
    notes = _text(_("Catatan konsultasi pra-asesmen"), required=True, rows=5)
    notes.help_text = _("Apa yang dijelaskan kepada asesi: proses, metode, bukti, hak banding, jadwal.")


class AgreementForm(BootstrapMixin, forms.Form):
    evidence = forms.MultipleChoiceField(label=_("Bukti yang akan dikumpulkan:"), choices=W.AK01_EVIDENCE,
                                         widget=Multi, required=False)
    evidence_other = forms.CharField(label=_("Lainnya (tuliskan)"), max_length=200, required=False)
    date = forms.DateField(label=_("Hari / Tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.CharField(label=_("Waktu"), required=False, max_length=40, help_text=_("Misalnya 08.00–16.00 WIB."))
    site_name = forms.CharField(label="TUK", required=False, max_length=200)


class CandidateSignForm(BootstrapMixin, forms.Form):
    agree = forms.BooleanField(label=_("Saya telah membaca pernyataan di atas dan menyetujuinya."),
                               error_messages={"required": _("Centang pernyataan ini untuk menandatangani "
                                                             "FR.AK.01.")})


class AdjustmentForm(BootstrapMixin, _Dynamic):
    potensi = forms.MultipleChoiceField(label=_("Potensi Asesi"), choices=W.POTENSI, widget=Multi, required=False)
    reason = forms.CharField(label=_("Alasan koreksi (FR.AK.07 yang lama tetap tersimpan)"), required=False)

    def add_fields(self):
        for i, (text, options) in enumerate(W.AK07_CHARACTERISTICS):
            self.fields[f"char_{i}"] = forms.ChoiceField(label=f"{i + 1}. {text}", choices=YES_NO,
                                                         widget=forms.RadioSelect, required=False)
            self.fields[f"char_{i}_options"] = forms.MultipleChoiceField(
                label=_("Keterangan"), choices=list(enumerate(options)), widget=Multi, required=False)
            self.fields[f"char_{i}_note"] = forms.CharField(label=_("Keterangan lain"), required=False)
        for key, label in W.AK07_RESULTS:
            self.fields[f"res_{key}"] = forms.CharField(label=label, required=False)
        self.fields["extra_minutes"] = forms.IntegerField(
            label=_("Tambahan waktu tes tertulis (menit)"), required=False, min_value=0, max_value=240,
            help_text=_("Diisi bila penyesuaian memberi waktu lebih panjang; ditambahkan ke batas waktu tes tertulis "
                        "asesi ini."))

    def rows(self):
        return [(self[f"char_{i}"], self[f"char_{i}_options"], self[f"char_{i}_note"])
                for i in range(len(W.AK07_CHARACTERISTICS))]

    def result_fields(self):
        return [self[f"res_{k}"] for k, _label in W.AK07_RESULTS] + [self["extra_minutes"]]

    def to_data(self):
        d = self.cleaned_data
        return {"potensi": d["potensi"],
                "characteristics": [{"needed": _yes_no(d[f"char_{i}"]), "options": d[f"char_{i}_options"],
                                     "note": d[f"char_{i}_note"]} for i in range(len(W.AK07_CHARACTERISTICS))],
                "results": {k: d[f"res_{k}"] for k, _label in W.AK07_RESULTS},
                "extra_minutes": d.get("extra_minutes") or 0}

    def add_workflow_errors(self, error):
        fe = {(f"res_{k}" if k == "result" else k): v for k, v in error.field_errors.items()}
        error.field_errors = fe
        super().add_workflow_errors(error)


REVIEW_AGAIN = _("Alasan kaji ulang (wajib bila kaji APL.02 sudah pernah dicatat)")


class ContinueForm(BootstrapMixin, forms.Form):
    note = _text(_("Catatan (tidak wajib)"), rows=2)
    correction_reason = forms.CharField(label=REVIEW_AGAIN, required=False)


class StopForm(BootstrapMixin, forms.Form):
    reason = _text(_("Alasan asesmen tidak dapat dilanjutkan"), required=True, rows=3)
    correction_reason = forms.CharField(label=REVIEW_AGAIN, required=False)


PRESENCE = [("1", _("Hadir")), ("0", _("Tidak hadir"))]


class CheckInForm(BootstrapMixin, forms.Form):
    # Nothing is chosen beforehand: the person at the door says what they saw.
    present = forms.ChoiceField(label=_("Kehadiran asesi"), choices=PRESENCE, widget=forms.RadioSelect,
                                error_messages={"required": _("Pilih Hadir atau Tidak hadir.")})
    note = forms.CharField(label=_("Catatan"), required=False, max_length=200)


class CheckInListForm(BootstrapMixin, _Dynamic):
    """The attendance of a whole list (S3.1): per candidate Hadir / Tidak hadir (nothing chosen beforehand)
    and a note; rows left empty are not recorded."""

    def __init__(self, *args, cases, **kwargs):
        self.cases = list(cases)
        super().__init__(*args, **kwargs)

    def add_fields(self):
        for case in self.cases:
            self.fields[f"present_{case.pk}"] = forms.ChoiceField(
                label=case.candidate.display_name, choices=PRESENCE, widget=forms.RadioSelect, required=False)
            self.fields[f"note_{case.pk}"] = forms.CharField(label=_("Catatan"), required=False, max_length=200)

    def rows(self):
        """[(case, presence field, note field)] for the template."""
        return [(c, self[f"present_{c.pk}"], self[f"note_{c.pk}"]) for c in self.cases]

    def chosen(self):
        """{case_id: (present, note)} for the rows with a choice."""
        out = {}
        for c in self.cases:
            value = self.cleaned_data.get(f"present_{c.pk}")
            if value in ("1", "0"):
                out[c.pk] = (value == "1", self.cleaned_data.get(f"note_{c.pk}", ""))
        return out

    def add_row_errors(self, errors):
        for pk, msg in errors.items():
            self.add_error(f"present_{pk}", msg)


class AssessmentForm(BootstrapMixin, _Dynamic):
    """FR.AK.02 with the optional KUK checklist (IA.01)."""

    started_on = forms.DateField(label=_("Tanggal Asesmen — Mulai"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    finished_on = forms.DateField(label=_("Selesai"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    follow_up = _text(W.AK02_FOLLOW_UP)
    comments = _text(_("Komentar/ Observasi oleh asesor"))

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    def add_fields(self):
        self.units = list(self.case.scheme.units.prefetch_related("elements__criteria"))
        for u in self.units:
            self.fields[f"u{u.pk}_methods"] = forms.MultipleChoiceField(
                label=_("Bukti"), choices=W.AK02_METHODS, widget=Multi, required=False)
            self.fields[f"u{u.pk}_result"] = forms.ChoiceField(label="K/BK", choices=KBK_CHOICES,
                                                               widget=forms.RadioSelect, required=False)
            for el in u.elements.all():
                for cr in el.criteria.all():
                    self.fields[f"c{cr.pk}"] = forms.ChoiceField(
                        label=f"{cr.number} {cr.text}", choices=[("", "—"), *KBK_CHOICES], required=False)

    def unit_rows(self):
        return [{"unit": u, "methods": self[f"u{u.pk}_methods"], "result": self[f"u{u.pk}_result"],
                 "criteria": [self[f"c{cr.pk}"] for el in u.elements.all() for cr in el.criteria.all()]}
                for u in self.units]

    def to_kwargs(self):
        d = self.cleaned_data
        return {"unit_results": {u.pk: {"methods": d[f"u{u.pk}_methods"], "result": d[f"u{u.pk}_result"]}
                                 for u in self.units},
                "criteria": {int(k[1:]): v for k, v in d.items() if k.startswith("c") and k[1:].isdigit() and v},
                "started_on": d["started_on"], "finished_on": d["finished_on"],
                "follow_up": d["follow_up"], "comments": d["comments"]}


class AssessorFeedbackForm(BootstrapMixin, forms.Form):
    text = _text(_("Umpan balik untuk asesi"), required=True, rows=5)
    text.help_text = _("Hasil asesmen, kekuatan, hal yang perlu dikembangkan dan tindak lanjutnya.")


class Ak03Form(BootstrapMixin, _Dynamic):
    def add_fields(self):
        for i, text in enumerate(W.AK03_COMPONENTS):
            self.fields[f"q{i}_yes"] = forms.ChoiceField(label=f"{i + 1}. {text}", choices=YES_NO,
                                                         widget=forms.RadioSelect, required=False)
            self.fields[f"q{i}_comment"] = forms.CharField(label=_("Catatan/Komentar Asesi"), required=False)
        self.fields["other"] = _text(_("Catatan/komentar lainnya (apabila ada) :"), rows=3)
        self.fields["sign_ak02"] = forms.BooleanField(
            label=_("Saya telah membaca rekaman asesmen (FR.AK.02) dan menandatanganinya bersama FR.AK.03 ini."),
            error_messages={"required": _("Centang pernyataan ini untuk menandatangani FR.AK.02 dan FR.AK.03.")})

    def rows(self):
        return [(self[f"q{i}_yes"], self[f"q{i}_comment"]) for i in range(len(W.AK03_COMPONENTS))]

    def to_kwargs(self):
        d = self.cleaned_data
        return {"answers": [{"yes": _yes_no(d[f"q{i}_yes"]), "comment": d[f"q{i}_comment"]}
                            for i in range(len(W.AK03_COMPONENTS))], "other": d["other"]}


class ReviewForm(BootstrapMixin, _Dynamic):
    def add_fields(self):
        for key, label in W.AK06_STAGES:
            self.fields[f"p_{key}"] = forms.MultipleChoiceField(label=label, choices=W.AK06_PRINCIPLES,
                                                                widget=Multi, required=False)
        self.fields["principles_recommendation"] = _text(_("Rekomendasi untuk peningkatan :"), rows=2)
        self.fields["dimensions"] = forms.MultipleChoiceField(label=W.AK06_CONSISTENCY, choices=W.AK06_DIMENSIONS,
                                                              widget=Multi, required=False)
        self.fields["dimensions_recommendation"] = _text(_("Rekomendasi untuk peningkatan :"), rows=2)
        self.fields["comments"] = _text(_("Komentar"), rows=2)

    def stage_fields(self):
        return [self[f"p_{k}"] for k, _label in W.AK06_STAGES]

    def to_data(self):
        d = self.cleaned_data
        return {"principles": {k: d[f"p_{k}"] for k, _label in W.AK06_STAGES}, "dimensions": d["dimensions"],
                "principles_recommendation": d["principles_recommendation"],
                "dimensions_recommendation": d["dimensions_recommendation"], "comments": d["comments"]}

    def add_workflow_errors(self, error):
        error.field_errors = {}
        super().add_workflow_errors(error)


class ReportForm(BootstrapMixin, forms.Form):
    aspects = _text(W.AK05_FIELDS[0][1], required=True)
    rejections = _text(W.AK05_FIELDS[1][1])
    suggestions = _text(W.AK05_FIELDS[2][1])
    notes = _text(W.AK05_FIELDS[3][1], rows=2)


class ForwardForm(BootstrapMixin, forms.Form):
    note = _text(_("Catatan untuk LSP (tidak wajib)"), rows=2)
