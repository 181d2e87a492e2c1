"""The certificate as a PDF: the full bilingual certificate (PDF/A-2b, digitally signed by the LSP) and the
text-only layout printed onto a BNSP blanko. Both are rendered when asked for, so a PDF downloaded after a
suspension or withdrawal carries the mark across it."""

from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from kompeten.cases.selectors import photo_of
from kompeten.core.actions import log_action
from kompeten.core.dates import format_date, format_datetime
from kompeten.core.lsp import lsp_profile
from kompeten.core.models import Role, User
from kompeten.core.pdf import qr_svg, render_pdf

from . import signing
from .models import BlankoLayout, Certificate

S = Certificate.Status
# The status as printed: Indonesian / English.
STATUS_TEXT = {
    S.ACTIVE: ("BERLAKU", "VALID"),
    S.SUSPENDED: ("DIBEKUKAN", "SUSPENDED"),
    S.REVOKED: ("DICABUT", "WITHDRAWN"),
    S.EXPIRED: ("KEDALUWARSA", "EXPIRED"),
}
PHOTO_FORMATS = {"image/png": "png", "image/jpeg": "jpg"}
PDF_STANDARDS = ["a-2b"]


def lsp_head_name():
    head = (User.objects.filter(roles__role=Role.LSP_HEAD, is_active=True).order_by("pk").first())
    return head.display_name if head else ""


def _photo(case):
    doc = photo_of(case)
    if doc is None:
        return [], ""
    try:
        with doc.file.open("rb") as f:
            data = f.read()
    except OSError:  # the file went missing: the placeholder frame, not a broken certificate
        return [], ""
    return list(data), PHOTO_FORMATS[doc.content_type]


def _place(lsp):
    """The town in the LSP's address (its last line or last comma-separated part), for "Bandung, 1 Mei 2026"."""
    address = (getattr(lsp, "address", "") or "").strip()
    if not address:
        return ""
    last = address.splitlines()[-1]
    return last.split(",")[-1].strip()


def certificate_data(cert, *, with_photo=True):
    lsp = lsp_profile()
    url = settings.SITE_URL + reverse("certification:verify", args=[cert.public_id])
    status = cert.current_status
    status_id, status_en = STATUS_TEXT[S(status)]
    photo, photo_format = _photo(cert.case) if with_photo else ([], "")
    return {
        "number": cert.number,
        "holder_name": cert.holder_name,
        "scheme_title": cert.scheme.title,
        "scheme_number": cert.scheme.number,
        "units": [{"code": u.code, "title": u.title} for u in cert.scheme.units.all()],
        "issued_on": format_date(cert.issued_on, language="id"),
        "valid_until": format_date(cert.valid_until, language="id"),
        "issued_on_en": format_date(cert.issued_on, language="en"),
        "valid_until_en": format_date(cert.valid_until, language="en"),
        "issued_at": format_datetime(cert.issued_at, language="id"),
        "bnsp_registration_number": cert.bnsp_registration_number,
        "blanko_number": cert.blanko_number,
        "status_id": status_id,
        "status_en": status_en,
        # Across every page of a certificate that is not valid: "DIBEKUKAN / SUSPENDED" …
        "mark": "" if status == S.ACTIVE else f"{status_id} / {status_en}",
        "verify_url": url,
        "qr": qr_svg(url),
        "photo": photo,
        "photo_format": photo_format,
        "head_name": lsp_head_name(),
        "place": _place(lsp),
    }


def render_certificate(cert):
    """The certificate PDF: PDF/A-2b, signed with the LSP's key."""
    pdf = render_pdf("certificate.typ", certificate_data(cert), pdf_standards=PDF_STANDARDS)
    return signing.sign_pdf(pdf, reason=f"Sertifikat kompetensi {cert.number}", location=settings.SITE_URL)


# --- the BNSP blanko -------------------------------------------------------------------------------

def blanko_layout(scheme):
    """The scheme's saved layout, or an unsaved one with the defaults."""
    return BlankoLayout.objects.filter(scheme=scheme).first() or BlankoLayout(scheme=scheme)


def save_blanko_layout(scheme, actor, **margins):
    """Admin: sets the blanko margins of a scheme (logged)."""
    layout = blanko_layout(scheme)
    for name, value in margins.items():
        setattr(layout, name, value)
    layout.save()
    log_action(actor, "set_blanko_layout", scheme,
               data={k: str(v) for k, v in margins.items()})
    return layout


def render_blanko(cert):
    layout = blanko_layout(cert.scheme)
    data = certificate_data(cert, with_photo=False)
    data["margins"] = {k: float(getattr(layout, f"margin_{k}")) for k in ("top", "bottom", "left", "right")}
    data["font_size"] = float(layout.font_size or Decimal("11"))
    return render_pdf("certificate-blanko.typ", data)

