"""The dashboard per role and its exports (XLSX and CSV): thin views over desk.figures (aggregate queries) and
desk.charts (server-drawn SVG).

Who sees what: Admin LSP and Ketua LSP everything; the committee the flow and the results (stages, pass rates,
time to certificate); a lead assessor the assessors' workload and the pass rate per unit. Exports: candidates per
scheme and period (Admin LSP, Ketua LSP — the NIK in full only for the Admin LSP, who sends it to BNSP; masked for
everyone else), assessor workload and fee basis (Admin LSP, Ketua LSP, lead assessor).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.cases.models import Case, Purpose
from kompeten.catalog.selectors import all_schemes
from kompeten.core import tabular
from kompeten.core.dates import format_date
from kompeten.core.errors import NotAllowed
from kompeten.core.forms import BootstrapMixin
from kompeten.core.models import Role
from kompeten.core.privacy import mask_identifier

from . import charts, figures

ALL = ["stages", "pass_scheme", "pass_unit", "time", "workload", "tuk", "expiring", "surveillance"]
SECTIONS_BY_ROLE = {
    Role.ADMIN: ALL,
    Role.LSP_HEAD: ALL,
    Role.COMMITTEE: ["stages", "pass_scheme", "pass_unit", "time"],
    Role.LEAD_ASSESSOR: ["workload", "pass_unit"],
}
EXPORTS_BY_ROLE = {
    "candidates": {Role.ADMIN, Role.LSP_HEAD},
    "workload": {Role.ADMIN, Role.LSP_HEAD, Role.LEAD_ASSESSOR},
}
NIK_IN_FULL = {Role.ADMIN}


class FilterForm(BootstrapMixin, forms.Form):
    start = forms.DateField(label=gettext_lazy("Dari tanggal"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("Sampai tanggal"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    scheme = forms.ModelChoiceField(label=gettext_lazy("Skema"), required=False, queryset=None,
                                    empty_label=gettext_lazy("Semua skema"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = all_schemes()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("Tanggal akhir harus sesudah tanggal awal."))
        return data


def sections_for(user):
    mine = user.role_set()
    return [s for s in ALL if any(s in SECTIONS_BY_ROLE.get(r, ()) for r in mine)]


def _filters(request):
    """The period and scheme asked for; what is missing or wrong falls back to the last twelve months and every
    scheme (the form shows why)."""
    start, end = figures.default_period()
    form = FilterForm(request.GET or None, initial={"start": start, "end": end})
    scheme = None
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        scheme = form.cleaned_data["scheme"]
    if start > end:
        start, end = figures.default_period()
    return form, {"start": start, "end": end, "scheme": scheme.pk if scheme else None, "scheme_obj": scheme}


@login_required
def dashboard(request):
    sections = sections_for(request.user)
    if not sections:
        raise NotAllowed(_("Dasbor hanya untuk Admin LSP, Ketua LSP, komite teknis dan lead asesor."))
    form, f = _filters(request)
    ctx = {"form": form, "f": f, "sections": sections, "trail": [(_("Dasbor"), None)],
           "period": f"{format_date(f['start'])} – {format_date(f['end'])}"}
    if {"stages", "pass_scheme"} & set(sections):
        ctx["headline"] = figures.headline(f)
    if "stages" in sections:
        ctx["stages"] = figures.candidates_by_stage(f)
        ctx["stages_chart"] = charts.bars(ctx["stages"], title=_("Asesi per tahap"))
    if "pass_scheme" in sections:
        ctx["pass_scheme"] = figures.pass_rate_by_scheme(f)
        ctx["pass_scheme_chart"] = charts.bars(ctx["pass_scheme"], title=_("Persentase Kompeten per skema"),
                                               maximum=100, suffix="%", colour="success")
    if "pass_unit" in sections:
        ctx["pass_unit"] = figures.pass_rate_by_unit(f)
        ctx["pass_unit_chart"] = charts.bars(ctx["pass_unit"], title=_("Persentase K per unit"), maximum=100,
                                             suffix="%", colour="success")
    if "time" in sections:
        ctx["time"] = figures.time_to_certificate(f)
        ctx["time_chart"] = charts.bars(ctx["time"]["buckets"], title=_("Lama permohonan sampai sertifikat"),
                                        colour="info")
    if "workload" in sections:
        ctx["workload"] = figures.assessor_workload(f)
        ctx["workload_chart"] = charts.bars(ctx["workload"], title=_("Beban kerja asesor (asesi)"))
    if "tuk" in sections:
        ctx["tuk"] = figures.tuk_use(f)
        ctx["tuk_chart"] = charts.bars(ctx["tuk"], title=_("Penggunaan TUK (jadwal)"), colour="secondary")
    if "expiring" in sections:
        ctx["expiring"] = figures.certificates_expiring(f)
        rows = [{"label": format_date(m["month"]).split(" ", 1)[1], "value": m["value"]}
                for m in ctx["expiring"]["months"]]
        ctx["expiring_chart"] = charts.bars(rows, title=_("Sertifikat yang berakhir per bulan"), colour="warning")
    if "surveillance" in sections:
        ctx["surveillance"] = figures.surveillance_overdue(f)
        ctx["surveillance_total"] = sum(r["value"] for r in ctx["surveillance"])
        ctx["surveillance_chart"] = charts.bars(ctx["surveillance"], title=_("Surveilan terlambat"), colour="danger")
    mine = request.user.role_set()
    ctx["exports"] = [k for k, roles in EXPORTS_BY_ROLE.items() if roles & mine]
    ctx["register_export"] = bool(mine & {Role.ADMIN, Role.LSP_HEAD})
    ctx["query"] = request.GET.urlencode()
    return render(request, "desk/dashboard.html", ctx)


CANDIDATE_COLUMNS = ["Nomor permohonan", "Nama asesi", "NIK / paspor", "Skema", "Nomor skema", "Tujuan", "Status",
                     "Dibuat", "Diajukan", "Jadwal", "TUK", "Asesor", "Keputusan (K/BK)", "Nomor sertifikat"]
WORKLOAD_COLUMNS = ["Asesor", "Nomor registrasi (MET)", "Asesi ditugaskan", "Asesi diases (FR.AK.02)",
                    "Jadwal", "Hari uji"]


def _date(value):
    return timezone.localdate(value) if value else None


def _candidate_rows(f, full_nik):
    statuses, purposes = dict(Case.Status.choices), dict(Purpose.choices)
    for r in figures.candidate_rows(f).iterator(chunk_size=1000):
        ident = r["application__nik"] or r["application__passport_number"] or ""
        name = r["application__full_name"] or " ".join(
            x for x in (r["candidate__first_name"], r["candidate__last_name"]) if x)
        assessor = " ".join(x for x in (r["assessor__user__first_name"], r["assessor__user__last_name"]) if x)
        yield [r["number"], name, ident if full_nik else mask_identifier(ident), r["scheme__title"],
               r["scheme__number"], str(purposes.get(r["purpose"], r["purpose"])),
               str(statuses.get(r["status"], r["status"])), _date(r["created_at"]), _date(r["submitted_at"]),
               r["event__number"] or "", r["event__site__name"] or "", assessor, r["decision"] or "",
               r["certificate__number"] or ""]


@login_required
def dashboard_export(request, kind):
    if kind not in EXPORTS_BY_ROLE:
        raise Http404
    mine = request.user.role_set()
    if not EXPORTS_BY_ROLE[kind] & mine:
        raise NotAllowed(_("Ekspor ini tidak untuk peran Anda."))
    _form, f = _filters(request)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in tabular.FORMATS:
        fmt = "xlsx"
    stamp = f"{f['start'].isoformat()}_{f['end'].isoformat()}"
    if kind == "candidates":
        return tabular.download(CANDIDATE_COLUMNS, _candidate_rows(f, bool(mine & NIK_IN_FULL)), fmt,
                                f"asesi-{stamp}", title="Asesi")
    rows = ([r["label"], r["met"], r["cases"], r["assessed"], r["events"], r["days"]]
            for r in figures.assessor_workload(f))
    return tabular.download(WORKLOAD_COLUMNS, rows, fmt, f"beban-asesor-{stamp}", title="Beban asesor")
