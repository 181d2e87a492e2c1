"""FR.AK.04 as a PDF in the layout of FORMS.md §8 (templates/pdf/ak04.typ)."""

from kompeten.assessment.selectors import assessment_record
from kompeten.core.pdf import case_header, fmt_date, fmt_datetime, pdf_response, render_pdf, signature

QUESTIONS = [
    "Apakah Proses Banding telah dijelaskan kepada Anda?",
    "Apakah Anda telah mendiskusikan Banding dengan Asesor?",
    "Apakah Anda mau melibatkan “orang lain” membantu Anda dalam Proses Banding?",
]


def ak04_data(g):
    case = g.case
    record = assessment_record(case)
    assessed_on = record.finished_on if record else (case.event.starts_at if case.event_id else None)
    header = case_header(case, date=assessed_on)
    return {
        "number": g.number,
        "candidate": case.candidate.display_name,
        "assessor": header["assessor"],
        "assessment_date": fmt_date(assessed_on) if assessed_on else "",
        "questions": [{"text": q, "yes": a is True, "no": a is False}
                      for q, a in zip(QUESTIONS, [g.q_explained, g.q_discussed, g.q_involve_other], strict=True)],
        "scheme_title": case.scheme.title,
        "scheme_number": case.scheme.number,
        "scheme_type": case.scheme.type,
        "reasons": g.reasons,
        "note": "Anda mempunyai hak mengajukan banding jika Anda menilai Proses Asesmen tidak sesuai SOP dan tidak "
                "memenuhi Prinsip Asesmen.",
        "signed_on": fmt_date(g.signed_at),
        "received_at": fmt_datetime(g.received_at),
        "signatures": [signature("Asesi", case.candidate.display_name, signed_at=g.signed_at)],
    }


def ak04_pdf(g):
    pdf = render_pdf("ak04.typ", ak04_data(g))
    return pdf_response(pdf, f"FR.AK.04-{g.number.replace('/', '-')}.pdf")
