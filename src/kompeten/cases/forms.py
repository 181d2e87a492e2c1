from django import forms
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from kompeten.cases.models import Application, DocumentReview, Purpose, SelfAssessmentAnswer
from kompeten.core import codes
from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import BnspCode


class StyledMixin(BootstrapMixin):
    """BootstrapMixin, and a service's errors also mark their fields invalid (red border)."""

    def add_workflow_errors(self, error):
        super().add_workflow_errors(error)
        _mark_invalid(self)


def _mark_invalid(form):
    for name, field in form.fields.items():
        css = field.widget.attrs.get("class", "").replace(" is-invalid", "")
        field.widget.attrs["class"] = css + (" is-invalid" if name in form.errors else "")


def revalidate(form):
    """BootstrapMixin validates a bound form while styling it; a form that changes its fields afterwards
    (choices, required) must forget that first result and mark the invalid fields again."""
    form._errors = None
    if form.is_bound:
        _mark_invalid(form)


class StartCaseForm(StyledMixin, forms.Form):
    purpose = forms.ChoiceField(label=_("Tujuan asesmen"), choices=Purpose.choices, initial=Purpose.CERTIFICATION,
                                widget=forms.RadioSelect)
    purpose_other = forms.CharField(label=_("Tujuan lainnya"), max_length=200, required=False,
                                    help_text=_("Isi hanya bila memilih “Lainnya”."))


class ApplicationForm(StyledMixin, forms.ModelForm):
    """FR.APL.01 Bagian 1 and the purpose (Bagian 2). Everything may stay blank in a draft."""

    purpose = forms.ChoiceField(label=_("Tujuan asesmen"), choices=Purpose.choices, widget=forms.RadioSelect)
    purpose_other = forms.CharField(label=_("Tujuan lainnya"), max_length=200, required=False)

    class Meta:
        model = Application
        fields = ["full_name", "nik", "passport_number", "birth_place", "birth_date", "sex", "nationality",
                  "address", "postcode", "phone_home", "phone", "email", "education",
                  "employer", "position", "office_address", "office_postcode", "office_phone", "office_fax",
                  "office_email", "city_code", "education_code", "occupation_code", "funding_code", "ministry_code"]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "address": forms.Textarea(attrs={"rows": 2}),
            "office_address": forms.Textarea(attrs={"rows": 2}),
            "sex": forms.RadioSelect,
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 16, "autocomplete": "off",
                                          "pattern": r"\d{16}", "title": _("NIK terdiri dari 16 angka.")}),
        }

    PERSONAL = ["full_name", "nik", "passport_number", "birth_place", "birth_date", "sex", "nationality",
                "address", "postcode", "phone_home", "phone", "email", "education"]
    JOB = ["employer", "position", "office_address", "office_postcode", "office_phone", "office_fax",
           "office_email"]
    BNSP = ["city_code", "education_code", "occupation_code", "funding_code", "ministry_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        blank = _("— pilih —")
        # Choices from BNSP's code lists (master data), not fixed in the model: the lists change.
        self.fields["city_code"] = forms.ChoiceField(label=self.fields["city_code"].label, required=False,
                                                     choices=codes.city_choices(blank))
        for name, kind in (("education_code", BnspCode.Kind.EDUCATION), ("occupation_code", BnspCode.Kind.OCCUPATION),
                           ("funding_code", BnspCode.Kind.FUNDING), ("ministry_code", BnspCode.Kind.MINISTRY)):
            old = self.fields[name]
            self.fields[name] = forms.ChoiceField(label=old.label, help_text=old.help_text, required=False,
                                                  choices=codes.choices(kind, blank=blank))
        for name in self.BNSP:
            self.fields[name].widget.attrs.update({"class": "form-select", "aria-label": self.fields[name].label})
        self.fields["sex"].choices = [c for c in self.fields["sex"].choices if c[0]]
        self.fields["sex"].required = False
        revalidate(self)

    def personal_fields(self):
        return [self[n] for n in self.PERSONAL]

    def job_fields(self):
        return [self[n] for n in self.JOB]

    def bnsp_fields(self):
        return [self[n] for n in self.BNSP]

    def purpose_fields(self):
        return [self["purpose"], self["purpose_other"]]


class DocumentUploadForm(StyledMixin, forms.Form):
    requirement = forms.TypedChoiceField(label=_("Untuk persyaratan"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("Judul dokumen"), max_length=200, required=False,
                            help_text=_("Mis. “Ijazah SMK” atau “Sertifikat pelatihan web”."))
    file = forms.FileField(label=_("Berkas"), help_text=_("PDF, JPG atau PNG."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, requirements=(), max_mb=10, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].choices = [("", _("— bukti lain (portofolio, dsb.) —"))] + [
            (r.pk, f"{r.get_kind_display()}: {r.text}") for r in requirements]
        self.fields["file"].help_text = _("PDF, JPG atau PNG, maksimal %(mb)s MB.") % {"mb": max_mb}
        revalidate(self)


class ReplaceDocumentForm(StyledMixin, forms.Form):
    file = forms.FileField(label=_("Berkas pengganti"), widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))


class WithdrawForm(StyledMixin, forms.Form):
    reason = forms.CharField(label=_("Alasan menarik permohonan"), widget=forms.Textarea(attrs={"rows": 3}))


class SelfAssessmentForm(StyledMixin, forms.Form):
    """FR.APL.02: for each element a K/BK answer, the supporting documents and a note."""

    def __init__(self, *args, elements=(), documents=(), answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        answers = answers or {}
        doc_choices = [(d.pk, f"{d.label} — {Truncator(d.requirement.text).chars(50)}" if d.requirement_id else d.label)
                       for d in documents]
        self.elements = list(elements)
        for e in self.elements:
            a = answers.get(e.pk)
            self.fields[f"answer_{e.pk}"] = forms.ChoiceField(
                label=_("Jawaban"), choices=SelfAssessmentAnswer.Answer.choices, required=False,
                widget=forms.RadioSelect, initial=a.answer if a else "")
            self.fields[f"evidence_{e.pk}"] = forms.TypedMultipleChoiceField(
                label=_("Bukti yang relevan"), choices=doc_choices, coerce=int, required=False,
                widget=forms.CheckboxSelectMultiple, initial=[d.pk for d in a.evidence.all()] if a else [])
            self.fields[f"note_{e.pk}"] = forms.CharField(
                label=_("Keterangan bukti"), max_length=500, required=False, initial=a.note if a else "")
        self._errors = None
        for name, field in self.fields.items():
            css = "form-control form-control-sm" if name.startswith("note_") else "form-check-input"
            if self.is_bound and name in self.errors:
                css += " is-invalid"
            field.widget.attrs["class"] = css

    def rows(self):
        """[(unit, [(element, answer field, evidence field, note field)])] in scheme order."""
        units = []
        for e in self.elements:
            if not units or units[-1][0].pk != e.unit_id:
                units.append((e.unit, []))
            e.question = e.title[:1].lower() + e.title[1:]
            units[-1][1].append((e, self[f"answer_{e.pk}"], self[f"evidence_{e.pk}"], self[f"note_{e.pk}"]))
        return units

    def answers(self):
        d = self.cleaned_data
        return {e.pk: {"answer": d.get(f"answer_{e.pk}") or "", "evidence": d.get(f"evidence_{e.pk}") or [],
                       "note": d.get(f"note_{e.pk}") or ""} for e in self.elements}


REVIEW_CHOICES = [
    ("meets", _("Ada — Memenuhi Syarat")),
    ("not_meets", _("Ada — Tidak Memenuhi Syarat")),
    ("absent", _("Tidak Ada")),
]


class DocumentReviewForm(StyledMixin, forms.Form):
    """S2.1: FR.APL.01 Bagian 3 checklist per requirement, then the recommendation."""

    outcome = forms.ChoiceField(label=_("Rekomendasi"), choices=DocumentReview.Outcome.choices,
                                widget=forms.RadioSelect,
                                error_messages={"required": _("Pilih rekomendasi: diterima, dikembalikan untuk "
                                                              "perbaikan, atau tidak diterima.")})
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Wajib bila dikembalikan (apa yang harus diperbaiki) atau tidak diterima "
                                       "(alasannya)."))

    def __init__(self, *args, requirements=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = list(requirements)
        for r in self.requirements:
            self.fields[f"check_{r.pk}"] = forms.ChoiceField(
                label=r.text, choices=REVIEW_CHOICES, widget=forms.RadioSelect,
                error_messages={"required": _("Pilih hasil pemeriksaan untuk persyaratan ini.")})
            self.fields[f"comment_{r.pk}"] = forms.CharField(
                label=_("Komentar"), max_length=500, required=False,
                widget=forms.TextInput(attrs={"placeholder": _("Komentar untuk asesi (opsional)")}))
        # BootstrapMixin may have validated before these fields existed: validate again, then style them.
        self._errors = None
        for name, field in self.fields.items():
            if name.startswith("check_"):
                field.widget.attrs["class"] = "form-check-input"
            elif name.startswith("comment_"):
                field.widget.attrs["class"] = "form-control form-control-sm"
            else:
                continue
            if self.is_bound and name in self.errors:
                field.widget.attrs["class"] += " is-invalid"

    def rows(self):
        return [(r, self[f"check_{r.pk}"], self[f"comment_{r.pk}"]) for r in self.requirements]

    def items(self):
        d = self.cleaned_data
        return [{"requirement_id": r.pk, "present": d[f"check_{r.pk}"] != "absent",
                 "meets": d[f"check_{r.pk}"] == "meets", "comment": d.get(f"comment_{r.pk}", "")}
                for r in self.requirements]
