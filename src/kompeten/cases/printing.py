"""Data for the printed FR.APL.01 and FR.APL.02 (templates/pdf/apl01.typ, apl02.typ)."""


from kompeten.cases import services
from kompeten.cases.models import Application, SelfAssessmentAnswer
from kompeten.catalog.selectors import RequirementKind, requirements_of
from kompeten.core.pdf import case_header, fmt_date, render_pdf, signature


def _sex_label(app):
    return {"L": "Laki-laki", "P": "Wanita"}.get(app.sex, "")


def apl01_data(case):
    app = Application.objects.filter(case=case).first() or Application(case=case)
    review = services.latest_review(case)
    checks = {i.requirement_id: i for i in review.items.all()} if review else {}

    def req_rows(kind):
        rows = []
        for r in requirements_of(case.scheme, kind=kind):
            item = checks.get(r.pk)
            rows.append({"text": r.text, "meets": bool(item and item.present and item.meets),
                         "not_meets": bool(item and item.present and not item.meets),
                         "absent": bool(item and not item.present), "comment": item.comment if item else ""})
        return rows

    admin = review.reviewer if review else None
    return {
        "header": case_header(case),
        "number": case.number,
        "personal": {
            "full_name": app.full_name, "id_number": app.nik or app.passport_number,
            "birth": ", ".join(x for x in [app.birth_place, fmt_date(app.birth_date)] if x),
            "sex": _sex_label(app), "nationality": app.nationality, "address": app.address,
            "postcode": app.postcode, "phone_home": app.phone_home, "phone": app.phone, "email": app.email,
            "education": app.education,
        },
        "job": {"employer": app.employer, "position": app.position, "address": app.office_address,
                "postcode": app.office_postcode, "phone": app.office_phone, "fax": app.office_fax,
                "email": app.office_email},
        "purpose": case.purpose, "purpose_other": case.purpose_other,
        "units": [{"code": u.code, "title": u.title, "standard": u.get_standard_type_display()}
                  for u in case.scheme.units.all()],
        "basic": req_rows(RequirementKind.BASIC),
        "administrative": req_rows(RequirementKind.ADMINISTRATIVE),
        "decision": {"accepted": "Diterima", "not_accepted": "Tidak diterima"}.get(review.outcome, "")
        if review else "",
        "note": review.note if review else "",
        "signatures": [
            signature("Pemohon/ Kandidat", app.full_name or case.candidate.display_name, signed_at=case.submitted_at),
            signature("Admin LSP", admin.display_name if admin else "", signed_at=review.reviewed_at if review else None),
        ],
    }


def apl02_data(case):
    answers = {a.element_id: a for a in SelfAssessmentAnswer.objects.filter(case=case).prefetch_related("evidence")}
    units = []
    for e in services.scheme_elements(case.scheme):
        if not units or units[-1]["code"] != e.unit.code:
            units.append({"code": e.unit.code, "title": e.unit.title, "elements": []})
        a = answers.get(e.pk)
        evidence = [d.label for d in a.evidence.all()] if a else []
        if a and a.note:
            evidence.append(a.note)
        units[-1]["elements"].append({
            "order": e.order, "title": e.title,
            "criteria": [{"number": c.number, "text": c.text} for c in e.criteria.all()],
            "answer": a.answer if a else "", "evidence": evidence,
        })
    return {
        "header": case_header(case),
        "units": units,
        "candidate": signature("Asesi", case.candidate.display_name, signed_at=case.submitted_at),
        **_apl02_recommendation(case),
    }


def _apl02_recommendation(case):
    """The assessor's S2.5 recommendation (assessment.Apl02Review) for the box at the end of APL.02; an empty box
    (nothing ticked, no name, no signature) while the assessor has not reviewed the self-assessment."""
    review = case.apl02_reviews.first()  # the current review (a corrected one is superseded and kept)
    if review is None:
        return {"recommendation": "", "note": "", "assessor": signature("Ditinjau oleh Asesor", "")}
    assessor = case.assessor
    name = assessor.name if assessor else review.reviewed_by.display_name
    return {
        "recommendation": "continue" if review.can_continue else "stop",
        "note": review.note,
        "assessor": signature("Ditinjau oleh Asesor", name, reg=assessor.met_number if assessor else "",
                              signed_at=review.reviewed_at),
    }


def apl01_pdf(case):
    return render_pdf("apl01.typ", apl01_data(case))


def apl02_pdf(case):
    return render_pdf("apl02.typ", apl02_data(case))
