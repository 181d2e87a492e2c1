"""Screens of the assessment tools (MUK): list per scheme, a version with its items, writing items, FR.VA.
Thin: parse, call instruments.py, redirect. Staff only; candidates never reach these pages (keys are here)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment.instrument_forms import ItemForm, NewInstrumentForm, ValidationForm
from kompeten.assessment.models import InstrumentItem, InstrumentVersion
from kompeten.catalog import selectors as catalog
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.pdf import fmt_date, form_header, pdf_response, render_pdf

READERS = {Role.ADMIN, Role.LEAD_ASSESSOR, Role.ASSESSOR, Role.LSP_HEAD, Role.COMMITTEE}


def _staff(request):
    roles = request.user.role_set()
    if not roles & READERS:
        raise NotAllowed(_("Perangkat asesmen (MUK) hanya dapat dibuka oleh staf LSP dan asesor."))
    return bool(roles & I.AUTHORS)


def _version(pk):
    return get_object_or_404(InstrumentVersion.objects.select_related("instrument__scheme", "validation",
                                                                      "prepared_by"), pk=pk)


def _trail(scheme=None, version=None, label=None):
    trail = [(_("Perangkat asesmen (MUK)"), reverse("assessment:instruments"))]
    if scheme:
        trail.append((scheme.title, reverse("assessment:scheme_instruments", args=[scheme.pk])))
    if version:
        trail.append((version.code, reverse("assessment:instrument_version", args=[version.pk])))
    if label:
        trail.append((label, None))
    return trail


@login_required
def index(request):
    _staff(request)
    schemes = [(s, list(I.instruments_of(s))) for s in catalog.all_schemes()]
    return render(request, "assessment/instruments/index.html", {
        "title": _("Perangkat asesmen (MUK)"), "trail": _trail(label=None)[:1],
        "lead": _("Perangkat asesmen setiap skema, per versi. Hanya versi yang divalidasi (FR.VA) dapat dipakai "
                  "dalam rencana asesmen."), "schemes": schemes})


@login_required
def scheme_instruments(request, pk):
    can_write = _staff(request)
    scheme = catalog.get_scheme(pk)
    form = NewInstrumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = I.create_instrument(scheme, request.user, form=form.cleaned_data["form"],
                                          title=form.cleaned_data["title"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Perangkat asesmen dibuat. Isi butirnya."))
            return redirect("assessment:instrument_version", version.pk)
    rows = []
    for inst in I.instruments_of(scheme):
        versions = list(inst.versions.all())
        rows.append({"instrument": inst, "versions": versions})
    validated = I.validated_versions(scheme)
    cov = I.coverage(scheme, {u.pk: validated for u in scheme.units.all()})
    return render(request, "assessment/instruments/scheme.html", {
        "title": scheme.title, "trail": _trail(scheme), "scheme": scheme, "rows": rows, "form": form,
        "can_write": can_write, "coverage": cov, "uncovered": I.uncovered_labels(cov),
        "lead": _("Perangkat asesmen skema ini dan cakupan KUK oleh versi yang tervalidasi.")})


@login_required
def version_detail(request, pk):
    can_write = _staff(request)
    version = _version(pk)
    inst = version.instrument
    items = list(version.items.prefetch_related("criteria__element__unit"))
    return render(request, "assessment/instruments/version.html", {
        "title": f"{version.code} — {inst.title}", "trail": _trail(inst.scheme, None, version.code),
        "lead": _("Butir perangkat beserta KUK yang dicakupnya. Versi yang sudah divalidasi atau dipakai dalam "
                  "rencana tidak berubah: mengubahnya membuat versi baru."),
        "version": version, "inst": inst, "items": items, "can_write": can_write, "frozen": I.is_frozen(version),
        "fields": I.FIELDS[inst.form], "letters": I.LETTERS, "others": inst.versions.exclude(pk=version.pk),
        "has_keys": inst.form in {"IA.05", "IA.06", "IA.07"},
        "validation": getattr(version, "validation", None) if version.status == "validated" else None,
        "analysis": item_analysis_of(version)})


def item_analysis_of(version):
    """Item analysis (item_analysis.py) of an IA.05 version once candidates have submitted it, rows zipped with
    their items; None otherwise."""
    from kompeten.assessment import item_analysis, written_test

    if version.instrument.form != "IA.05":
        return None
    items, rows = written_test.score_matrix(version)
    result = item_analysis.analyse(rows)
    if result is None:
        return None
    result["rows"] = list(zip(items, result["items"], strict=True))
    result["flagged"] = sum(1 for it in result["items"] if it["flags"])
    return result


@login_required
def item_form(request, pk, item_pk=None):
    if not _staff(request):  # readers (assessors, committee, Ketua LSP) see the version, not its editor
        raise NotAllowed(_("Perangkat asesmen (MUK) hanya boleh disusun dan divalidasi oleh admin LSP atau "
                           "lead asesor."))
    version = _version(pk)
    inst = version.instrument
    item = get_object_or_404(InstrumentItem, pk=item_pk, version=version) if item_pk else None
    criteria = I.flat_criteria(inst.scheme)
    form = ItemForm(request.POST or None, form_code=inst.form, criteria=criteria,
                    initial=ItemForm.initial_from(item), record=item)
    if request.method == "POST" and request.POST.get("action") == "delete" and item:
        target = I.delete_item(version, request.user, item_id=item.pk)
        messages.success(request, _("Butir dihapus.") if target.pk == version.pk else
                         _("Versi ini sudah dipakai atau divalidasi; butir dihapus pada versi baru %(v)s.")
                         % {"v": target.code})
        return redirect("assessment:instrument_version", target.pk)
    if request.method == "POST" and form.is_valid():
        try:
            target = I.save_item(version, request.user, text=form.cleaned_data["text"], payload=form.payload(),
                                 criteria=form.cleaned_data["criteria"], item_id=item.pk if item else None,
                                 edit_version=form.take_version())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Butir tersimpan.") if target.pk == version.pk else
                             _("Versi ini sudah dipakai atau divalidasi; perubahan disimpan sebagai versi baru %(v)s.")
                             % {"v": target.code})
            return redirect("assessment:instrument_version", target.pk)
    label = _("Ubah butir %(n)s") % {"n": item.order} if item else _("Tambah butir")
    return render(request, "assessment/instruments/item_form.html", {
        "title": label, "trail": _trail(inst.scheme, version, label), "form": form, "version": version,
        "item": item, "frozen": I.is_frozen(version),
        "lead": _("Tulis butir dan pilih KUK yang dicakupnya.")})


@login_required
def validate(request, pk):
    if not _staff(request):
        raise NotAllowed(_("Perangkat asesmen (MUK) hanya boleh disusun dan divalidasi oleh admin LSP atau "
                           "lead asesor."))
    version = _version(pk)
    from kompeten.assessment.written_test import flagged_items

    flags = flagged_items(version)
    form = ValidationForm(request.POST or None, initial={"period": "sebelum", **findings_from_flags(flags)})
    if request.method == "POST" and form.is_valid():
        try:
            I.validate_version(version, request.user, data=form.to_data())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Versi divalidasi; kini dapat dipilih dalam rencana asesmen."))
            return redirect("assessment:instrument_version", version.pk)
    label = _("Validasi (FR.VA)")
    return render(request, "assessment/instruments/validate.html", {
        "title": f"{label} — {version.code}", "trail": _trail(version.instrument.scheme, version, label),
        "form": form, "version": version, "flags": flags,
        "lead": _("Catat validasi perangkat ini. Penyusun versi tidak boleh menjadi validatornya.")})


def findings_from_flags(flags, slots=4):
    """Initial FR.VA findings from the item-analysis flags (the validator may change them): one finding per
    flagged item, the last slot naming the rest."""
    if not flags or not flags["items"]:
        return {}
    items = flags["items"]
    shown = items if len(items) <= slots else items[:slots - 1]
    out = {}
    for n, it in enumerate(shown, 1):
        out[f"finding_{n}"] = gettext("Analisis butir %(code)s (%(n)s asesi): butir %(order)s %(flags)s.") % {
            "code": flags["source"].code, "n": flags["n"], "order": it["order"], "flags": ", ".join(it["flags"])}
        out[f"recommendation_{n}"] = gettext("Tinjau dan perbaiki butir %(order)s sebelum dipakai lagi.") % {
            "order": it["order"]}
    rest = items[len(shown):]
    if rest:
        out[f"finding_{slots}"] = gettext("Butir lain yang ditandai analisis butir: %(orders)s.") % {
            "orders": ", ".join(str(it["order"]) for it in rest)}
        out[f"recommendation_{slots}"] = gettext("Tinjau butir-butir tersebut.")
    return out


def _ticks(options, chosen):
    return [{"label": o, "on": o in chosen} for o in options]


@login_required
def va_pdf(request, pk):
    _staff(request)
    version = _version(pk)
    va = getattr(version, "validation", None)
    if va is None:
        raise WorkflowError(gettext("Versi ini belum divalidasi; FR.VA belum ada."))
    scheme = version.instrument.scheme
    data = {
        "team": va.team, "date": fmt_date(va.date, weekday=True), "place": va.place,
        "periods": [{"label": label, "on": key == va.period} for key, label in I.VA_PERIODS],
        "scheme_title": scheme.title, "scheme_number": scheme.number,
        "instrument": f"{version.code} {version.instrument.title}",
        "purposes": _ticks(I.VA_PURPOSES, va.setup.get("purposes", [])),
        "contexts": _ticks(I.VA_CONTEXTS, va.setup.get("contexts", [])),
        "approaches": _ticks(I.VA_APPROACHES, va.setup.get("approaches", [])),
        "benchmarks": _ticks(I.VA_BENCHMARKS, va.setup.get("benchmarks", [])),
        "documents": _ticks(I.VA_DOCUMENTS, va.setup.get("documents", [])),
        "skills": _ticks(I.VA_SKILLS, va.setup.get("skills", [])),
        "matrix": [{"aspect": a, "cells": [r in va.matrix.get(a, {}).get("rules", []) for r in I.VA_RULES]
                    + [p in va.matrix.get(a, {}).get("principles", []) for p in I.VA_PRINCIPLES]}
                   for a in I.VA_ASPECTS],
        "findings": va.findings or [{"finding": "", "recommendation": ""}],
        "action_plan": va.action_plan or [{"activity": "", "due": "", "owner": ""}],
        "authors": version.authors or [{"name": "", "met": ""}],
    }
    from django.utils import timezone

    from kompeten.assessment.ia_prints import authors_of
    from kompeten.assessment.pdfs import item_flags_data
    from kompeten.assessment.written_test import flagged_items

    flags = flagged_items(version)
    data.update(item_flags=[item_flags_data(flags)] if flags else [], printed=fmt_date(timezone.now()),
                people=authors_of(version))
    return pdf_response(render_pdf("va.typ", data), f"FR.VA-{version.instrument.form}-v{version.number}.pdf")


@login_required
def instrument_pdf(request, pk):
    """The instrument's FR.IA form with its content (FR.IA.05A/06A: the question sheet) — staff only."""
    from kompeten.assessment import ia_prints

    _staff(request)
    name, pdf = ia_prints.instrument_print(_version(pk))
    return pdf_response(pdf, name)


@login_required
def key_pdf(request, pk):
    """FR.IA.05B / FR.IA.06B: the answer key sheet — staff only."""
    _staff(request)
    version = _version(pk)
    inst = version.instrument
    if inst.form == "IA.05":
        code, title, column = ("FR.IA.05B", "LEMBAR KUNCI JAWABAN PERTANYAAN TERTULIS PILIHAN GANDA", "Jawaban")
        rows = [{"no": i.order, "answer": f"{I.key_letter(i)}. {i.payload['options'][i.payload['key']]}"}
                for i in version.items.all()]
    elif inst.form == "IA.06":
        code, title, column = ("FR.IA.06B", "LEMBAR KUNCI JAWABAN PERTANYAAN TERTULIS ESAI", "Kunci Jawaban")
        rows = [{"no": i.order, "answer": i.payload.get("answer", "")} for i in version.items.all()]
    else:
        raise WorkflowError(gettext("Lembar kunci jawaban hanya untuk FR.IA.05 dan FR.IA.06."))
    from kompeten.assessment.ia_prints import authors_of

    data = {"header": form_header(scheme=inst.scheme), "code": code, "title": title, "column": column,
            "instrument": f"{version.code} {inst.title}", "rows": rows, "authors": authors_of(version)}
    return pdf_response(render_pdf("ia-key.typ", data), f"{code}-v{version.number}.pdf")
