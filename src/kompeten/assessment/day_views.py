"""The assessment day on the assessor's phone (S3.2): the candidate's page with every instrument of the plan,
one screen per instrument that saves each tap (htmx; a plain form post without JavaScript), and the FR.AK.02
correction. Thin: the rules live in observation.py, rollup.py and services.py."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import forms as F
from kompeten.assessment import ia_prints, rollup, rounds, services
from kompeten.assessment import instruments as I
from kompeten.assessment import observation as O
from kompeten.assessment import wording as W
from kompeten.assessment.models import AssessmentRecord
from kompeten.cases.selectors import get_case
from kompeten.cases.workflow import allowed_acts, check, roles_for
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.pdf import pdf_response

# The FR.AK.02 evidence column an instrument's form belongs to (AK02_METHODS).
FORM_AK02 = {"IA.01": "observasi", "IA.02": "observasi", "IA.03": "lisan", "IA.07": "lisan", "IA.08": "portofolio",
             "IA.09": "pihak_ketiga", "IA.10": "pihak_ketiga", "IA.05": "tertulis", "IA.06": "tertulis",
             "IA.04A": "proyek", "IA.04B": "proyek", "IA.11": "lainnya",
             "IA.05/IA.06": "tertulis"}  # the written test's evidence comes as one source (rollup.register_source)


def _case(pk):
    return get_case(pk, "assessor__user", "event__site", "scheme")


def _assessor_only(user, case):
    if Role.ASSESSOR not in roles_for(user, case):
        raise NotAllowed(_("Halaman asesmen asesi ini hanya untuk asesor yang ditugaskan pada permohonan ini."))


def _trail(case, label, *more):
    return [(_("Permohonan"), None), (case.number, case.get_absolute_url()), *more, (label, None)]


def _editable(user, case):
    return any(a.code == O.ACT for a in allowed_acts(user, case))


@login_required
def day(request, pk):
    """One page per candidate: the state of every instrument of the plan and the roll-up per unit."""
    case = _case(pk)
    _assessor_only(request.user, case)
    rolled = rollup.rollup(case)
    records = list(AssessmentRecord.all_versions.filter(case=case).order_by("-recorded_at", "-pk"))
    return render(request, "assessment/instruments_day/day.html", {
        "case": case, "title": _("Asesmen hari ini: %(name)s") % {"name": case.candidate.display_name},
        "lead": _("Isi setiap perangkat asesmen rencana (MAPA) untuk asesi ini. Setiap ketukan langsung tersimpan. "
                  "Setelah semua KUK memiliki bukti, konfirmasi K/BK per unit di FR.AK.02."),
        "trail": _trail(case, _("Asesmen hari ini")), "states": O.instrument_states(case), "rolled": rolled,
        "editable": _editable(request.user, case), "records": records,
        "rounds": ia_prints.prints_by_round(case, request.user), "round": rounds.current_round(case),
        "can_record": any(a.code == "record_assessment" for a in allowed_acts(request.user, case)),
        "can_correct": case.status == "assessed" and not services.correction_blocker(case),
        "plan": O.approved_plan(case.event if case.event_id else None)})


@login_required
def instrument_pdf(request, pk, version_pk, round):
    """One instrument of the plan as printed for this candidate in one assessment round: the FR.IA form filled
    with the assessor's results, or for the written test the answer sheet (FR.IA.05C/06C)."""
    case = _case(pk)
    roles = roles_for(request.user, case)
    staff = bool(roles & ia_prints.PRINT_STAFF)
    if not staff and Role.CANDIDATE not in roles:
        raise NotAllowed(_("Formulir perangkat asesmen asesi ini hanya untuk asesinya, asesornya dan staf LSP."))
    version = O.plan_version(case, version_pk)
    if not staff and version.instrument.form not in ia_prints.CANDIDATE_FORMS:
        raise NotAllowed(_("Formulir ini memuat kunci atau perkiraan jawaban; hanya untuk asesor dan staf LSP."))
    name, pdf = ia_prints.case_print(case, version, rounds.check_round(case, round), staff=staff)
    return pdf_response(pdf, name)


def _item_rows(case, version, documents=()):
    results = O.results_of(case, version)
    rows = []
    for item in version.items.prefetch_related("criteria"):
        result = results.get(item.pk)
        checks = result.checks if result else {}
        rows.append({"item": item, "result": result, "criteria": list(item.criteria.all()),
                     "docs": [(d, checks.get(str(d.pk), [])) for d in documents]})
    return rows


@login_required
def fill(request, pk, version_pk):
    """The screen of one instrument: per item K/BK and a note (and for IA.08 VATM per uploaded document)."""
    case = _case(pk)
    _assessor_only(request.user, case)
    version = O.plan_version(case, version_pk)
    if version.instrument.form not in O.ASSESSOR_FORMS:
        raise WorkflowError(_("Tes tertulis diisi oleh asesi, bukan di layar ini."))
    day_url = reverse("assessment:day", args=[case.pk])
    portfolio = version.instrument.form == "IA.08"
    documents = O.documents_for_portfolio(case) if portfolio else []
    return render(request, "assessment/instruments_day/fill.html", {
        "case": case, "version": version, "title": str(version.instrument.get_form_display()),
        "lead": _("Ketuk K atau BK untuk setiap butir; catatan tersimpan saat Anda mengetik. Tidak ada tombol "
                  "simpan: memuat ulang halaman tidak menghilangkan apa pun."),
        "trail": _trail(case, version.code, (_("Asesmen hari ini"), day_url)), "rows": _item_rows(case, version, documents),
        "editable": _editable(request.user, case), "portfolio": portfolio, "vatm": I.VATM,
        "documents": documents, "state": O.state_of(case, version)})


@login_required
def save(request, pk):
    """One tap: POST item, and result (K/BK/""), note, or doc + vatm. htmx gets the changed fragment back; a
    plain post goes back to the screen. Saving the same value again changes nothing."""
    case = _case(pk)
    if request.method != "POST":
        return redirect("assessment:day", pk=case.pk)
    data = request.POST
    item_id = data.get("item", "")
    if not item_id.isdigit():
        raise WorkflowError(_("Butir perangkat asesmen tidak ditemukan."))
    kwargs = {}
    if "result" in data:
        kwargs["result"] = data["result"]
    if "note" in data:
        kwargs["note"] = data["note"]
    if "doc" in data:
        kwargs["checks"] = {data["doc"]: data.getlist("vatm")}
    htmx = request.headers.get("HX-Request") == "true"
    try:
        row = O.save_item_result(case, request.user, item_id=int(item_id), **kwargs)
    except WorkflowError as exc:
        if htmx:
            return HttpResponse(format_html('<span class="text-danger small" role="alert">{}</span>', exc.message),
                                headers={"HX-Retarget": f"#saved-{int(item_id)}", "HX-Reswap": "innerHTML"})
        raise
    if not htmx:
        messages.success(request, _("Tersimpan."))
        return redirect(reverse("assessment:fill_instrument", args=[case.pk, row.item.version_id])
                        + f"#item-{row.item_id}")
    if "result" in kwargs:
        return render(request, "assessment/instruments_day/_kbk.html", {"case": case, "row": {
            "item": row.item, "result": row}, "editable": True})
    return HttpResponse(format_html('<span class="text-success small">{}</span>', _("Tersimpan")))


# --- FR.AK.02 correction ----------------------------------------------------------------------------------


class CorrectionForm(F.AssessmentForm):
    reason = forms.CharField(label=_("Alasan koreksi"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def ak02_initial(case, rolled, record=None):
    """The FR.AK.02 form filled from the roll-up: per unit the evidence's K/BK and the methods that gave it."""
    initial = {"started_on": timezone.localdate(case.event.starts_at) if case.event_id else None,
               "finished_on": timezone.localdate(case.event.ends_at) if case.event_id else None}
    if record is not None:
        initial.update(started_on=record.started_on, finished_on=record.finished_on, follow_up=record.follow_up,
                       comments=record.comments)
    for row in rolled["units"]:
        uid = row["unit"].pk
        if row["result"]:
            initial[f"u{uid}_result"] = row["result"]
        methods = []
        for e in row["elements"]:
            for r in e["criteria"]:
                for ev in r["evidence"]:
                    key = FORM_AK02.get(ev["source"].split(" ")[0].removeprefix("FR."))
                    if key and key not in methods:
                        methods.append(key)
        initial[f"u{uid}_methods"] = methods
    return initial


@login_required
def correct(request, pk):
    case = _case(pk)
    check(request.user, case, "correct_assessment")
    rolled = rollup.rollup(case)
    record = AssessmentRecord.objects.filter(case=case).first()
    form = CorrectionForm(request.POST or None, case=case, initial=ak02_initial(case, rolled, record))
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_assessment(case, request.user, reason=form.cleaned_data["reason"], **form.to_kwargs())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Koreksi FR.AK.02 tersimpan sebagai rekaman baru; rekaman lama tetap "
                                        "tersimpan."))
            return redirect("assessment:day", pk=case.pk)
    return render(request, "assessment/ak02_form.html", {
        "obj": case, "form": form, "w": W, "rolled": rolled, "correction": True,
        "title": _("Koreksi FR.AK.02"), "lead": _("Koreksi dicatat sebagai FR.AK.02 baru dengan alasannya; yang "
                                                  "lama tetap tersimpan dan dapat dicetak."),
        "trail": _trail(case, _("Koreksi FR.AK.02"))})
