"""The one PDF renderer: Typst templates in templates/pdf/, data passed as JSON (sys.inputs.data).

Every BNSP form shares the layout in templates/pdf/bnsp.typ: the LSP header, the form code and title,
the identity block (scheme, TUK type, assessor, candidate, date) and signature blocks with names and
times. A form template starts with `#import "bnsp.typ": *` and reads its data with `#let data = load-data()`.
"""

import json
from pathlib import Path

import typst
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone

from kompeten.core.dates import format_date, format_datetime, format_time
from kompeten.core.lsp import lsp_profile
from kompeten.core.qr import qr_svg  # noqa: F401 (the PDF API)

PDF_DIR = Path(settings.BASE_DIR) / "templates" / "pdf"


def _inputs(data):
    lsp = lsp_profile()
    payload = {"lsp_name": lsp.name, "lsp_license": lsp.licence_number, **data}
    return {"data": json.dumps(payload, default=str, ensure_ascii=False)}


def render_pdf(template, data, *, pdf_standards=None):
    """Render templates/pdf/<template> with `data` (JSON-serialisable) and return the PDF bytes.
    `pdf_standards` e.g. ["a-2b"] makes Typst write a PDF/A file (and claim it in the XMP metadata)."""
    options = {"pdf_standards": pdf_standards} if pdf_standards else {}
    return typst.compile(str(PDF_DIR / template), root=str(PDF_DIR), sys_inputs=_inputs(data), **options)


class PdfSession:
    """One template rendered many times in one Typst compiler (e.g. a meeting's certificates in one job): the
    fonts and the template's files are read once, and what does not change between documents is laid out once
    (Typst's incremental compilation) — about half the time of render_pdf per document. The output is the same
    document render_pdf makes from the same data. Not shared between threads."""

    def __init__(self, template, *, pdf_standards=None):
        self.compiler = typst.Compiler(str(PDF_DIR / template), root=str(PDF_DIR))
        self.pdf_standards = pdf_standards or []

    def render(self, data):
        return self.compiler.compile(format="pdf", sys_inputs=_inputs(data), pdf_standards=self.pdf_standards)


def pdf_response(pdf, filename, *, download=False):
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response._csp_config = {}  # the browser's PDF viewer is itself an embedded object: no page CSP here
    return response


# The BNSP forms are printed in Indonesian whatever the reader's language: their dates too. Both are
# core.dates' one way to write a date, with the language fixed.
PDF_LANGUAGE = "id"


def fmt_date(value, *, weekday=False):
    """1 Desember 2026 — the printed date on forms (core.dates.format_date in Indonesian)."""
    return format_date(value, weekday=weekday, language=PDF_LANGUAGE)


def fmt_datetime(value):
    """1 Desember 2026, 08.00 WIB (core.dates.format_datetime in Indonesian)."""
    return format_datetime(value, language=PDF_LANGUAGE)


def fmt_time(value):
    """08.00 WIB"""
    return format_time(value, language=PDF_LANGUAGE)


def signature(role, name, *, signed_at=None, reg=""):
    """One signature block: role label, name, MET/registration number, and when it was signed."""
    return {"role": role, "name": name or "", "reg": reg or "", "signed_at": fmt_datetime(signed_at)}


def form_header(*, scheme, site=None, assessor=None, candidate=None, date=None):
    """The common identity block of BNSP forms (FORMS.md §0.1)."""
    return {
        "scheme_title": scheme.title,
        "scheme_number": scheme.number,
        "scheme_type": scheme.type,  # KKNI / Okupasi / Klaster: the others are struck through
        "tuk_type": site.get_type_display() if site else "",
        "tuk_name": site.name if site else "",
        "assessor": assessor.name if assessor else "",
        "assessor_met": assessor.met_number if assessor else "",
        "candidate": candidate.display_name if candidate else "",
        "date": fmt_date(date),
    }


def case_header(case, date=None):
    """form_header for one case: its scheme, its event's TUK, its assessor and candidate."""
    site = case.event.site if case.event_id else None
    return form_header(scheme=case.scheme, site=site, assessor=case.assessor, candidate=case.candidate,
                       date=date or (case.event.starts_at if case.event_id else timezone.now()))
