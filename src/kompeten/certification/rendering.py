"""The certificate as a PDF: the full bilingual certificate (PDF/A-2b, digitally signed by the LSP) and the
text-only layout printed onto a BNSP blanko.

The signed certificate is rendered when it is issued and stored (Certificate.pdf) with a fingerprint of
everything it shows and everything it is made with: its data (status and mark, numbers, dates, names, photo), the
Typst templates and the signing certificate. A download serves the stored copy only while the fingerprint is the
same; otherwise — a suspension or withdrawal (the mark across it), expiry, a BNSP registration number added, a new
signing key — it is rendered, signed and stored anew. So a PDF downloaded after a change of status always carries
the mark. The blanko layout is rendered when asked for."""

import hashlib
import logging
import uuid
from decimal import Decimal
from functools import cache

import typst
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from kompeten.cases.selectors import photo_of
from kompeten.core.actions import log_action
from kompeten.core.dates import format_date, format_datetime
from kompeten.core.lsp import lsp_profile
from kompeten.core.models import Role, User
from kompeten.core.pdf import PDF_DIR, PdfSession, qr_svg, render_pdf

from . import press, signing
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
TEMPLATE = "certificate.typ"
log = logging.getLogger(__name__)


def lsp_head_name():
    head = (User.objects.filter(roles__role=Role.LSP_HEAD, is_active=True).order_by("pk").first())
    return head.display_name if head else ""


def photo_bytes(case):
    """The pas foto's bytes and format ("png"/"jpg"), or (b"", "") when there is none."""
    doc = photo_of(case)
    if doc is None:
        return b"", ""
    try:
        with doc.file.open("rb") as f:
            data = f.read()
    except OSError:  # the file went missing: the placeholder frame, not a broken certificate
        return b"", ""
    return data, PHOTO_FORMATS[doc.content_type]


def _place(lsp):
    """The town in the LSP's address (its last line or last comma-separated part), for "Bandung, 1 Mei 2026"."""
    address = (getattr(lsp, "address", "") or "").strip()
    if not address:
        return ""
    last = address.splitlines()[-1]
    return last.split(",")[-1].strip()


def text_data(cert, *, lsp, head_name, units, photo_format):
    """The certificate's data for its templates without the QR code and the photo (press.Maker adds both)."""
    url = settings.SITE_URL + reverse("certification:verify", args=[cert.public_id])
    status = cert.current_status
    status_id, status_en = STATUS_TEXT[S(status)]
    return {
        "number": cert.number,
        "holder_name": cert.holder_name,
        "scheme_title": cert.scheme.title,
        "scheme_number": cert.scheme.number,
        "units": units,
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
        "photo_format": photo_format,
        "head_name": head_name,
        "place": _place(lsp),
    }


def _units(scheme):
    return [{"code": u.code, "title": u.title} for u in scheme.units.all()]


def certificate_data(cert, *, with_photo=True, head_name=None):
    photo, photo_format = photo_bytes(cert.case) if with_photo else (b"", "")
    data = text_data(cert, lsp=lsp_profile(), head_name=lsp_head_name() if head_name is None else head_name,
                      units=_units(cert.scheme), photo_format=photo_format)
    return {**data, "qr": qr_svg(data["verify_url"]), "photo": list(photo)}


@cache
def _templates_digest():
    """SHA-256 of the Typst templates (read once per process: they change only with a new release)."""
    digest = hashlib.sha256()
    for path in sorted(PDF_DIR.glob("*.typ")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class CertificateRenderer:
    """Renders and signs certificate PDFs. One per download, or one for a whole issue job: the Typst session
    (core.pdf.PdfSession), the LSP head's name and the signing key are then set up once for all certificates."""

    def __init__(self):
        self._session = None
        self._head_name = None
        self.key = signing.signing_key()

    @property
    def head_name(self):
        if self._head_name is None:
            self._head_name = lsp_head_name()
        return self._head_name

    def data(self, cert):
        return certificate_data(cert, head_name=self.head_name)

    def fingerprint(self, data):
        """What the signed PDF depends on: its data, the templates, the PDF standard and the signing certificate."""
        return press.fingerprint(data, templates_digest=_templates_digest(), pdf_standards=PDF_STANDARDS,
                                 key_fingerprint=self.key.fingerprint)

    def render(self, cert, data):
        if self._session is None:
            self._session = PdfSession(TEMPLATE, pdf_standards=PDF_STANDARDS)
        pdf = self._session.render(data)
        return signing.sign_pdf(pdf, reason=f"Sertifikat kompetensi {cert.number}", location=settings.SITE_URL)


def _pdf_name():
    # Never the number on disk, never under a public URL (served by certification:certificate_pdf).
    return f"certificates/{uuid.uuid4().hex}.pdf"


def render_certificate(cert, *, renderer=None):
    """The certificate PDF as it reads now: PDF/A-2b, signed with the LSP's key, marked when no longer valid.
    The stored copy when nothing it shows has changed, else rendered, signed and stored anew."""
    renderer = renderer or CertificateRenderer()
    data = renderer.data(cert)
    fingerprint = renderer.fingerprint(data)
    if cert.pdf and cert.pdf_fingerprint == fingerprint:
        try:
            with cert.pdf.open("rb") as f:
                return f.read()
        except OSError:  # the file went missing: made again below
            pass
    pdf = renderer.render(cert, data)
    _store(cert, pdf, fingerprint)
    return pdf


def _store(cert, pdf, fingerprint):
    old = cert.pdf.name if cert.pdf else ""
    name = default_storage.save(_pdf_name(), ContentFile(pdf))
    Certificate.objects.filter(pk=cert.pk).update(pdf=name, pdf_fingerprint=fingerprint)
    cert.pdf.name, cert.pdf_fingerprint = name, fingerprint
    if old and old != name:
        default_storage.delete(old)


def press_config(key):
    """What press.Maker needs to render and sign certificate PDFs in a worker process (`key`: the signing key)."""
    return {"template": str(PDF_DIR / TEMPLATE), "root": str(PDF_DIR), "pdf_standards": PDF_STANDARDS,
            "templates_digest": _templates_digest(), "pdf_key": key.to_pem()}


def store_made(made, written):
    """Store signed PDFs made in a batch (press.Maker): `made` = [(certificate, pdf, fingerprint)], inside the
    batch's transaction. Each file's name is added to `written` as soon as it is saved, for delete_files should the
    transaction not commit."""
    for cert, pdf, fingerprint in made:
        written.append(default_storage.save(_pdf_name(), ContentFile(pdf)))
        cert.pdf.name, cert.pdf_fingerprint = written[-1], fingerprint
    Certificate.objects.bulk_update([cert for cert, _, _ in made], ["pdf", "pdf_fingerprint"])


def delete_files(names):
    """The files of a batch that was rolled back (best effort: a file left behind is never served)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            log.exception("could not delete %s", name)


def store_issued_pdf(cert, *, renderer=None):
    """Render, sign and store the PDF of a certificate just issued (after its transaction, outside any lock). A
    failure here leaves the certificate issued without a stored copy: the first download makes it."""
    try:
        render_certificate(cert, renderer=renderer)
    except (typst.TypstError, OSError):
        log.exception("certificate %s issued; its PDF is made at the first download instead", cert.number)


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

