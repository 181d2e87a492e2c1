"""Forms of the instrument screens (MUK, FR.VA). They only parse what was typed; rules live in instruments.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment.forms import _Dynamic
from kompeten.assessment.models import InstrumentForm
from kompeten.core.concurrency import VersionedForm
from kompeten.core.forms import BootstrapMixin

Multi = forms.CheckboxSelectMultiple


class NewInstrumentForm(BootstrapMixin, forms.Form):
    form = forms.ChoiceField(label=_("Formulir"), choices=InstrumentForm.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)


class ItemForm(BootstrapMixin, VersionedForm, _Dynamic):
    """One item of a version; the fields shown depend on the instrument's form (instruments.FIELDS)."""

    def __init__(self, *args, form_code, criteria, **kwargs):
        self.form_code, self.criteria = form_code, criteria
        super().__init__(*args, **kwargs)

    def add_fields(self):
        form_code, criteria = self.form_code, self.criteria
        self.fields["text"] = forms.CharField(label=I.TEXT_LABEL[form_code], widget=forms.Textarea(attrs={"rows": 3}))
        for key, label, kind, required, _secret in I.FIELDS[form_code]:
            if kind == "options":
                for n, letter in enumerate(I.LETTERS):
                    self.fields[f"option_{letter}"] = forms.CharField(
                        label=_("Pilihan %(letter)s") % {"letter": letter}, required=n < 3)
            elif kind == "key":
                self.fields["key"] = forms.ChoiceField(label=label, widget=forms.RadioSelect,
                                                       choices=[(str(n), ch) for n, ch in enumerate(I.LETTERS)])
            elif kind == "rules":
                self.fields["rules"] = forms.MultipleChoiceField(label=label, choices=I.VATM, widget=Multi,
                                                                 initial=[r for r, _l in I.VATM])
            elif kind == "group":
                self.fields["group"] = forms.ChoiceField(label=label, choices=I.IA11_GROUPS)
            elif kind == "int":
                self.fields[key] = forms.IntegerField(label=label, min_value=1, max_value=1440)
            else:
                self.fields[key] = forms.CharField(label=label, required=required,
                                                   widget=forms.Textarea(attrs={"rows": 3}))
        self.fields["criteria"] = forms.MultipleChoiceField(
            label=_("KUK yang dicakup"), widget=Multi,
            choices=[(str(c.pk), f"{e.unit.code} · {c.number} {c.text}") for e, c in criteria])

    def payload(self):
        d = self.cleaned_data
        out = {}
        for key, _label, kind, _req, _secret in I.FIELDS[self.form_code]:
            if kind == "options":
                out["options"] = [d.get(f"option_{ch}", "") for ch in I.LETTERS if d.get(f"option_{ch}")]
            elif kind == "key":
                out["key"] = int(d["key"]) if d.get("key") not in (None, "") else None
            else:
                out[key] = d.get(key)
        return out

    @staticmethod
    def initial_from(item):
        if item is None:
            return {}
        init = {"text": item.text, "criteria": [str(c.pk) for c in item.criteria.all()]}
        for key, value in item.payload.items():
            if key == "options":
                init.update({f"option_{ch}": v for ch, v in zip(I.LETTERS, value, strict=False)})
            elif key == "key":
                init["key"] = str(value)
            else:
                init[key] = value
        return init


class ValidationForm(BootstrapMixin, _Dynamic):
    """FR.VA: period, date, place, the set-up ticks, aspects × VATM × VRFF, findings, action plan, team."""

    period = forms.ChoiceField(label=_("Periode"), choices=I.VA_PERIODS, widget=forms.RadioSelect)
    date = forms.DateField(label=_("Hari/ Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Tempat"), max_length=200)
    purposes = forms.MultipleChoiceField(label=_("Tujuan dan fokus validasi"), required=False, widget=Multi,
                                         choices=[(x, x) for x in I.VA_PURPOSES])
    contexts = forms.MultipleChoiceField(label=_("Konteks validasi"), required=False, widget=Multi,
                                         choices=[(x, x) for x in I.VA_CONTEXTS])
    approaches = forms.MultipleChoiceField(label=_("Pendekatan validasi"), required=False, widget=Multi,
                                           choices=[(x, x) for x in I.VA_APPROACHES])
    benchmarks = forms.MultipleChoiceField(label=_("Acuan Pembanding"), required=False, widget=Multi,
                                           choices=[(x, x) for x in I.VA_BENCHMARKS])
    documents = forms.MultipleChoiceField(label=_("Dokumen terkait dan bahan-bahan"), required=False, widget=Multi,
                                          choices=[(x, x) for x in I.VA_DOCUMENTS])
    skills = forms.MultipleChoiceField(label=_("Keterampilan komunikasi"), required=False, widget=Multi,
                                       choices=[(x, x) for x in I.VA_SKILLS])

    def add_fields(self):
        for i, _aspect in enumerate(I.VA_ASPECTS):
            self.fields[f"rules_{i}"] = forms.MultipleChoiceField(
                label="V A T M", required=False, widget=Multi, choices=[(r, r) for r in I.VA_RULES])
            self.fields[f"principles_{i}"] = forms.MultipleChoiceField(
                label="V R F F", required=False, widget=Multi,
                choices=[(p, p.rstrip("12")) for p in I.VA_PRINCIPLES])
        for n in range(1, 5):
            self.fields[f"finding_{n}"] = forms.CharField(label=_("Temuan %(n)s") % {"n": n}, required=False)
            self.fields[f"recommendation_{n}"] = forms.CharField(label=_("Rekomendasi %(n)s") % {"n": n},
                                                                 required=False)
        for n in range(1, 4):
            self.fields[f"activity_{n}"] = forms.CharField(label=_("Kegiatan perbaikan %(n)s") % {"n": n},
                                                           required=False)
            self.fields[f"due_{n}"] = forms.CharField(label=_("Waktu penyelesaian"), required=False)
            self.fields[f"owner_{n}"] = forms.CharField(label=_("Penanggung jawab"), required=False)
        for n in range(1, 3):
            self.fields[f"team_name_{n}"] = forms.CharField(label=_("Validator %(n)s: nama") % {"n": n},
                                                            required=False)
            self.fields[f"team_met_{n}"] = forms.CharField(label=_("Nomor MET"), required=False)

    def matrix_rows(self):
        return [(aspect, self[f"rules_{i}"], self[f"principles_{i}"]) for i, aspect in enumerate(I.VA_ASPECTS)]

    def to_data(self):
        d = self.cleaned_data
        return {
            "period": d["period"], "date": d["date"], "place": d["place"],
            "setup": {k: d[k] for k in ["purposes", "contexts", "approaches", "benchmarks", "documents", "skills"]},
            "matrix": {a: {"rules": d[f"rules_{i}"], "principles": d[f"principles_{i}"]}
                       for i, a in enumerate(I.VA_ASPECTS)},
            "findings": [{"finding": d[f"finding_{n}"], "recommendation": d[f"recommendation_{n}"]} for n in range(1, 5)],
            "action_plan": [{"activity": d[f"activity_{n}"], "due": d[f"due_{n}"], "owner": d[f"owner_{n}"]}
                            for n in range(1, 4)],
            "team": [{"name": d[f"team_name_{n}"], "met": d[f"team_met_{n}"]} for n in range(1, 3)],
        }
