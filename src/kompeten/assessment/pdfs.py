"""Data for the printed forms of this app (Typst templates in templates/pdf/) and the PDF responses."""

from django.utils import timezone
from django.utils.translation import gettext

from kompeten.assessment import instruments as I
from kompeten.assessment import wording as W
from kompeten.assessment.models import KBK, Adjustment, Agreement, AssessmentRecord, Feedback, Report, Review
from kompeten.core.errors import WorkflowError
from kompeten.core.pdf import (
    case_header,
    fmt_date,
    fmt_datetime,
    fmt_time,
    form_header,
    pdf_response,
    render_pdf,
    signature,
)


def _assessor_sig(case, signed_at=None, label="Asesor"):
    a = case.assessor
    return signature(label, a.name if a else "", reg=a.met_number if a else "", signed_at=signed_at)


def _candidate_sig(case, signed_at=None, label="Asesi"):
    return signature(label, case.candidate.display_name, signed_at=signed_at)


def _day(value):
    """Senin, 14 April 2025 — the AK.01 "Hari / Tanggal"."""
    return fmt_date(value, weekday=True)


def _missing(what):
    raise WorkflowError(what)


def _get(case, model, message, version=None):
    """The case's current record of `model`, or with `version` (a record id) that record even when superseded
    (a corrected record stays printable)."""
    if version is not None:
        obj = model.all_versions.filter(case=case, pk=version).first()
        if obj is None:
            _missing(gettext("Rekaman tidak ditemukan pada permohonan ini."))
        return obj
    obj = model.objects.filter(case=case).first()
    if obj is None:
        _missing(message)
    return obj


def _units(scheme):
    return [{"code": u.code, "title": u.title} for u in scheme.units.all()]


def plan_data(event, plan):
    """Everything MAPA.01 and MAPA.02 print, in the printed order."""
    m1 = plan.mapa01
    units = []
    for u in event.scheme.units.all():
        row = (m1.get("units") or {}).get(str(u.pk), {})
        units.append({"code": u.code, "title": u.title, "evidence": row.get("evidence", ""),
                      "types": [t in row.get("evidence_types", []) for t, _l in W.EVIDENCE_TYPES],
                      "type_labels": ", ".join(t for t, _l in W.EVIDENCE_TYPES if t in row.get("evidence_types", [])),
                      "methods": [(row.get("methods") or {}).get(k, "") for k, _l in W.MAPA_METHODS]})

    def ticks(pairs, chosen):
        chosen = chosen if isinstance(chosen, list) else [chosen]
        return [{"label": label, "on": key in chosen} for key, label in pairs]

    mods = []
    for key, label, lead in W.MAPA_MODIFICATIONS:
        v = (m1.get("modifications") or {}).get(key, {})
        mods.append({"label": label, "lead": lead, "has": bool(v.get("has")), "text": v.get("text", "")})
    instruments = {i.form for i in I.instruments_of(event.scheme)}
    map_rows = [{"label": label, "cells": [p in plan.mapa02.get(form, []) for p, _t in W.POTENSI],
                 "available": form in instruments} for form, label in W.MAPA02_ROWS]
    potensi = ticks(W.POTENSI, m1.get("potensi", []))
    potensi[0]["label"] = potensi[0]["label"].rstrip(".")  # MAPA.01 prints item 1 without its full stop
    submitter_met = getattr(getattr(plan.submitted_by, "assessor", None), "met_number", "")
    reviewer_met = getattr(getattr(plan.reviewed_by, "assessor", None), "met_number", "") if plan.reviewed_by else ""
    approved = plan.status == plan.Status.APPROVED
    return {
        "header": form_header(scheme=event.scheme, site=event.site, date=event.starts_at),
        "version": plan.version, "status": plan.get_status_display(),
        "units_list": _units(event.scheme),
        "method_legend": W.MAPA_METHOD_LEGEND, "bukti_header": W.MAPA_BUKTI_HEADER,
        "method_headers": [W.MAPA_METHOD_HEADERS[k] for k, _l in W.MAPA_METHODS],
        "confirm_rows": ticks(W.MAPA_CONFIRM_ROWS, m1.get("confirm", [])),
        "authors": [
            {"status": "PENYUSUN", "name": plan.submitted_by.display_name, "met": submitter_met or "",
             "signed_at": fmt_datetime(plan.submitted_at)},
            {"status": "VALIDATOR", "name": plan.reviewed_by.display_name if approved and plan.reviewed_by else "",
             "met": reviewer_met or "" if approved else "", "signed_at": fmt_datetime(plan.reviewed_at) if approved else ""},
        ],
        "potensi": potensi,
        "purpose": ticks(W.MAPA_PURPOSES, m1.get("purpose", "")), "purpose_other": m1.get("purpose_other", ""),
        "environment": ticks(W.MAPA_ENVIRONMENT, m1.get("environment", [])),
        "opportunity": ticks(W.MAPA_OPPORTUNITY, m1.get("opportunity", [])),
        "relation": ticks(W.MAPA_RELATION, m1.get("relation", [])),
        "who": ticks(W.MAPA_WHO, m1.get("who", [])), "confirm": ticks(W.MAPA_CONFIRM, m1.get("confirm", [])),
        "benchmark": ticks(W.MAPA_BENCHMARK, m1.get("benchmark", [])), "benchmark_text": m1.get("benchmark_text", ""),
        "units": units, "methods": [label for _k, label in W.MAPA_METHODS], "modifications": mods,
        "map_rows": map_rows, "potensi_notes": [t for _k, t in W.POTENSI],
    }


def plan_pdf(event, plan, form):
    template = {"mapa01": "mapa01.typ", "mapa02": "mapa02.typ"}[form]
    return pdf_response(render_pdf(template, plan_data(event, plan)), f"{form}-{event.number}-v{plan.version}.pdf")


def ak01(case):
    ag = _get(case, Agreement, gettext("FR.AK.01 belum diisi asesor."))
    data = {"header": case_header(case), "intro": W.AK01_INTRO,
            "evidence": [{"label": label + (f" {ag.evidence_other}" if key == "lainnya" and ag.evidence_other else ""),
                          "on": key in ag.evidence} for key, label in W.AK01_EVIDENCE],
            "date": _day(ag.date), "time": ag.time, "site": ag.site_name,
            "appeal": W.AK01_CANDIDATE_APPEAL, "assessor_statement": W.AK01_ASSESSOR_STATEMENT,
            "consent": W.AK01_CANDIDATE_CONSENT,
            "signatures": [_assessor_sig(case, ag.assessor_signed_at), _candidate_sig(case, ag.candidate_signed_at)]}
    return pdf_response(render_pdf("ak01.typ", data), f"FR.AK.01-{case.number}.pdf")


def ak02(case, version=None):
    rec = _get(case, AssessmentRecord, gettext("FR.AK.02 belum tercatat."), version)
    rows = [{"code": r.unit.code, "title": r.unit.title, "cells": [k in r.methods for k, _l in W.AK02_METHODS],
             "result": r.result} for r in rec.units.select_related("unit")]
    h = case_header(case)
    data = {"header": h, "start": fmt_date(rec.started_on), "end": fmt_date(rec.finished_on),
            "instruction": W.AK02_INSTRUCTION, "methods": [label for _k, label in W.AK02_METHODS], "rows": rows,
            "competent": rec.overall == KBK.K, "follow_up_label": W.AK02_FOLLOW_UP, "follow_up": rec.follow_up,
            "comments": "\n".join(filter(None, [
                rec.comments,
                gettext("Koreksi atas FR.AK.02 sebelumnya. Alasan: %(reason)s") % {"reason": rec.correction_reason}
                if rec.correction_reason else "",
                gettext("Rekaman ini telah dikoreksi dan digantikan pada %(when)s.")
                % {"when": fmt_date(rec.superseded_at)} if rec.superseded_at else ""])),
            "attachments": W.AK02_ATTACHMENTS,
            "signatures": [_candidate_sig(case, rec.candidate_signed_at), _assessor_sig(case, rec.recorded_at)]}
    return pdf_response(render_pdf("ak02.typ", data), f"FR.AK.02-{case.number}.pdf")


def ak03(case):
    fb = _get(case, Feedback, gettext("Umpan balik belum diberikan."))
    if not fb.candidate_at:
        _missing(gettext("FR.AK.03 belum diisi asesi."))
    rows = [{"text": text, "yes": a.get("yes") is True, "no": a.get("yes") is False, "comment": a.get("comment", "")}
            for text, a in zip(W.AK03_COMPONENTS, fb.ak03, strict=False)]
    data = {"header": case_header(case), "lead": W.AK03_LEAD, "rows": rows, "other": fb.ak03_other,
            "day": fmt_date(fb.candidate_at), "time": fmt_time(fb.candidate_at),
            "signatures": [_candidate_sig(case, fb.candidate_at)]}
    return pdf_response(render_pdf("ak03.typ", data), f"FR.AK.03-{case.number}.pdf")


def ak05(case):
    rep = _get(case, Report, gettext("FR.AK.05 belum dibuat."))
    data = {"header": case_header(case),
            "rows": [{"name": case.candidate.display_name, "k": rep.result == KBK.K, "bk": rep.result == KBK.BK,
                      "note": rep.bk_units}],
            "footnote": W.AK05_FOOTNOTE,
            "fields": [{"label": label, "text": getattr(rep, key)} for key, label in W.AK05_FIELDS[:3]],
            "notes": rep.notes, "signatures": [_assessor_sig(case, rep.submitted_at)]}
    return pdf_response(render_pdf("ak05.typ", data), f"FR.AK.05-{case.number}.pdf")


def event_ak05(event, assessor):
    """FR.AK.05 as printed for an event: one assessor's report on all of their candidates (S4.5)."""
    from kompeten.assessment.models import Report

    reports = list(Report.objects.filter(case__event=event, case__assessor=assessor)
                   .select_related("case__candidate").order_by("case__number"))
    if not reports:
        raise WorkflowError(gettext("Belum ada FR.AK.05 dari asesor ini pada jadwal ini."))
    header = form_header(scheme=event.scheme, site=event.site, assessor=assessor, date=event.starts_at)
    header["candidate"] = gettext("%(n)s asesi (lihat tabel)") % {"n": len(reports)}

    def joined(key):
        return "\n".join(f"{r.case.candidate.display_name}: {getattr(r, key)}" for r in reports if getattr(r, key))

    data = {"header": header,
            "rows": [{"name": r.case.candidate.display_name, "k": r.result == KBK.K, "bk": r.result == KBK.BK,
                      "note": r.bk_units} for r in reports],
            "footnote": W.AK05_FOOTNOTE,
            "fields": [{"label": label, "text": joined(key)} for key, label in W.AK05_FIELDS[:3]],
            "notes": joined("notes"),
            "signatures": [_assessor_sig(reports[0].case, max(r.submitted_at for r in reports))]}
    return pdf_response(render_pdf("ak05.typ", data), f"FR.AK.05-{event.number}-{assessor.met_number}.pdf")


def item_flags_data(flags):
    """written_test.flagged_items as the PDFs print it (numbers written the Indonesian way)."""
    return {"code": flags["version"].code, "source": flags["source"].code, "n": flags["n"],
            "items": [{"order": it["order"], "text": it["text"], "p": f"{it['p']:.2f}".replace(".", ","),
                       "d": f"{it['d']:.2f}".replace(".", ","), "flags": it["flags"]} for it in flags["items"]]}


def item_flags_of_case(case):
    """The item-analysis flags of the multiple-choice versions in the plan of the case's event (FR.AK.06)."""
    from kompeten.assessment import observation, written_test

    out = []
    for v in observation.plan_versions(case):
        flags = written_test.flagged_items(v) if v.instrument.form == "IA.05" else None
        if flags is not None:
            out.append(flags)
    return out


def ak06(case):
    rv = _get(case, Review, gettext("FR.AK.06 belum diisi."))
    data = {"header": case_header(case), "explanation": W.AK06_EXPLANATION,
            "principles": [label for _k, label in W.AK06_PRINCIPLES],
            "stages": [{"label": label, "cells": [p in rv.principles.get(k, []) for p, _l in W.AK06_PRINCIPLES]}
                       for k, label in W.AK06_STAGES],
            "principles_recommendation": rv.principles_recommendation,
            "dimensions": [label for _k, label in W.AK06_DIMENSIONS], "consistency": W.AK06_CONSISTENCY,
            "dimension_cells": [k in rv.dimensions for k, _l in W.AK06_DIMENSIONS],
            "dimensions_recommendation": rv.dimensions_recommendation,
            "reviewer": rv.reviewed_by.display_name, "reviewed_at": fmt_date(rv.reviewed_at), "comments": rv.comments,
            "signatures": [signature("Peninjau", rv.reviewed_by.display_name, signed_at=rv.reviewed_at)],
            "item_flags": [item_flags_data(f) for f in item_flags_of_case(case)], "printed": fmt_date(timezone.now())}
    return pdf_response(render_pdf("ak06.typ", data), f"FR.AK.06-{case.number}.pdf")


def ak07(case, version=None):
    adj = _get(case, Adjustment, gettext("FR.AK.07 belum diisi."), version)
    rows = []
    for i, (text, options) in enumerate(W.AK07_CHARACTERISTICS):
        r = adj.characteristics[i] if i < len(adj.characteristics) else {}
        rows.append({"n": i + 1, "text": text, "yes": r.get("needed") is True, "no": r.get("needed") is False,
                     "options": [{"label": o, "on": j in r.get("options", [])} for j, o in enumerate(options)],
                     "note": r.get("note", "")})
    data = {"header": case_header(case),
            "potensi": [{"label": t, "on": k in adj.potensi} for k, t in W.POTENSI], "rows": rows,
            "results": [{"label": label, "text": adj.results.get(k, "")} for k, label in W.AK07_RESULTS],
            "signatures": [_assessor_sig(case, adj.recorded_at), _candidate_sig(case)]}
    return pdf_response(render_pdf("ak07.typ", data), f"FR.AK.07-{case.number}.pdf")


CASE_FORMS = {"ak01": ak01, "ak02": ak02, "ak03": ak03, "ak05": ak05, "ak06": ak06, "ak07": ak07}
