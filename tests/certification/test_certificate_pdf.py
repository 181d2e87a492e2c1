"""The certificate PDF: bilingual, with the pas foto, PDF/A-2b, signed (checked by poppler's pdfsig), marked when
no longer valid; the blanko layout with margins per scheme."""

import json
import shutil
import subprocess

import pytest
import typst
from django.core.files.base import ContentFile
from django.urls import reverse

from kompeten.cases.models import Document
from kompeten.certification import rendering, services, signing
from kompeten.certification.models import BlankoLayout, Certificate
from kompeten.core.pdf import PDF_DIR
from tests.s3 import ON_DISK_AND_S3

from .helpers import recommend

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils (pdfsig) is not installed")]


@pytest.fixture(autouse=True)
def _signing_key_in_tmp(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.PDF_SIGNING_KEY_FILE = settings.PDF_SIGNING_CERT_FILE = ""


@pytest.fixture
def cert(case, committee, candidate, lsp_head, monkeypatch):
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    return services.issue_certificate(case, lsp_head)


def _png():
    return typst.compile(str(PDF_DIR / "demo-photo.typ"), root=str(PDF_DIR), format="png", ppi=96,
                         sys_inputs={"data": json.dumps({"name": "Budi", "skin": "#e0ac69", "shirt": "#1d3557"})})


def _with_photo(cert):
    req = cert.scheme.requirements.get(text__icontains="pas foto")
    return Document.objects.create(case=cert.case, requirement=req, title="Pas foto 3x4",
                                   file=ContentFile(_png(), name="foto.png"), original_name="foto.png",
                                   content_type="image/png", size=1, sha256="x", uploaded_by=cert.case.candidate)


def _tool(name, pdf, tmp_path, *args):
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    return subprocess.run([name, *args, str(path), *(["-"] if name == "pdftotext" else [])],
                          capture_output=True, text=True, timeout=30).stdout


def test_signed_also_when_the_caller_runs_an_event_loop(cert, tmp_path):
    """A caller inside a running event loop (Playwright's sync API while the browser tests load the demo) still
    gets a signed PDF: the signature's coroutine runs in a thread of its own, not asyncio.run() in the loop."""
    import asyncio

    from kompeten.certification import press, signing
    from kompeten.core.pdf import PdfSession

    unsigned = PdfSession(rendering.TEMPLATE, pdf_standards=rendering.PDF_STANDARDS).render(
        rendering.certificate_data(cert))
    key = signing.signing_key()

    async def inside_a_loop():
        return press.sign_pdf(key, unsigned, reason="Uji")

    assert "Signature Validation: Signature is Valid." in _tool("pdfsig", asyncio.run(inside_a_loop()), tmp_path)


def test_signed_pdf_is_valid_and_a_changed_byte_breaks_it(cert, tmp_path):
    pdf = rendering.render_certificate(cert)
    out = _tool("pdfsig", pdf, tmp_path)
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out and "adbe.pkcs7.detached" in out
    assert "Signer Certificate Common Name: LSP Teknologi Digital Nusantara" in out
    # One byte changed inside the first signed range (the page content, before the signature).
    tampered = bytearray(pdf)
    at = len(pdf) // 3
    tampered[at] = (tampered[at] + 1) % 256
    bad = _tool("pdfsig", bytes(tampered), tmp_path)
    assert "Signature is Valid." not in bad and ("Digest Mismatch" in bad or "Invalid" in bad)


def test_key_and_certificate_made_once_and_reused(cert, settings):
    first = signing.signing_key()
    path = settings.DATA_DIR / signing.DEFAULT_FILE_NAME
    assert path.exists() and b"BEGIN PRIVATE KEY" in path.read_bytes() and b"BEGIN CERTIFICATE" in path.read_bytes()
    signing._loaded.clear()
    assert signing.signing_key().cert == first.cert


def test_configured_key_and_certificate_are_used(cert, settings, tmp_path, monkeypatch):
    pem = signing.self_signed_pem("LSP Produksi")
    (tmp_path / "k.pem").write_bytes(pem)
    settings.PDF_SIGNING_KEY_FILE = settings.PDF_SIGNING_CERT_FILE = str(tmp_path / "k.pem")
    signing._loaded.clear()
    out = _tool("pdfsig", rendering.render_certificate(cert), tmp_path)
    assert "Common Name: LSP Produksi" in out and "Signature is Valid." in out
    settings.PDF_SIGNING_CERT_FILE = str(tmp_path / "missing.pem")
    signing._loaded.clear()
    from django.core.exceptions import ImproperlyConfigured
    with pytest.raises(ImproperlyConfigured):
        signing.signing_key()
    signing._loaded.clear()


def test_pdfa_claim_in_xmp(cert):
    pdf = rendering.render_certificate(cert)
    assert b"pdfaid" in pdf
    assert b'pdfaid:part="2"' in pdf or b"<pdfaid:part>2</pdfaid:part>" in pdf
    assert b'pdfaid:conformance="B"' in pdf or b"<pdfaid:conformance>B</pdfaid:conformance>" in pdf


def test_bilingual_labels_dates_status_and_content(cert, tmp_path):
    Certificate.objects.filter(pk=cert.pk).update(bnsp_registration_number="REG-77", blanko_number="BLK-12")
    cert.refresh_from_db()
    text = " ".join(_tool("pdftotext", rendering.render_certificate(cert), tmp_path).split())
    for label in ("SERTIFIKAT KOMPETENSI", "Certificate of Competence", "Tanggal terbit", "Date of issue",
                  "Berlaku sampai", "Valid until", "BERLAKU", "VALID", "Budi Santoso", cert.number,
                  "REG-77", "BLK-12", "Nomor lisensi BNSP", "Head of"):
        assert label in text, label
    from kompeten.core.dates import format_date
    assert format_date(cert.issued_on, language="id") in text and format_date(cert.issued_on, language="en") in text
    head = rendering.lsp_head_name()
    assert head and head in text
    for unit in cert.scheme.units.all()[:2]:
        assert unit.code in text


@ON_DISK_AND_S3
def test_photo_embedded_when_uploaded_else_placeholder(cert, tmp_path):
    without = _tool("pdfimages", rendering.render_certificate(cert), tmp_path, "-list")
    assert len(without.strip().splitlines()) == 2  # the header lines only: no image
    assert "Pas foto" in _tool("pdftotext", rendering.render_certificate(cert), tmp_path)
    _with_photo(cert)
    listed = _tool("pdfimages", rendering.render_certificate(cert), tmp_path, "-list").strip().splitlines()[2:]
    assert [row.split()[2] for row in listed if row.split()[2] == "image"] == ["image"]  # (its alpha is an smask)
    assert listed[0].split()[3:5] == ["113", "151"]  # the pas foto itself (3 × 4 cm at 96 ppi)


@pytest.mark.parametrize("status, mark", [("suspended", "DIBEKUKAN / SUSPENDED"), ("revoked", "DICABUT / WITHDRAWN")])
def test_mark_across_a_certificate_no_longer_valid(cert, tmp_path, status, mark, client, candidate):
    assert "SUSPENDED" not in _tool("pdftotext", rendering.render_certificate(cert), tmp_path)
    Certificate.objects.filter(pk=cert.pk).update(status=status)
    client.force_login(candidate)
    pdf = client.get(reverse("certification:certificate_pdf", args=[cert.pk])).content
    text = _tool("pdftotext", pdf, tmp_path, "-raw")
    pages = text.split("\x0c")[:2]
    assert all(mark in page.splitlines() for page in pages)  # the mark, a line of its own, on both pages
    assert "Signature is Valid." in _tool("pdfsig", pdf, tmp_path)


def test_blanko_text_only_with_scheme_margins(cert, tmp_path, client, admin_user, candidate):
    client.force_login(admin_user)
    url = reverse("certification:certificate_pdf", args=[cert.pk]) + "?layout=blanko"
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _tool("pdftotext", response.content, tmp_path)
    assert "Budi Santoso" in text and cert.number in text and "SERTIFIKAT KOMPETENSI" not in text
    assert _tool("pdfimages", response.content, tmp_path, "-list").strip().count("\n") == 1  # no image

    def top_of_name(pdf):
        bbox = _tool("pdftotext", pdf, tmp_path, "-bbox")
        line = next(ln for ln in bbox.splitlines() if ">Budi<" in ln)
        return float(line.split('yMin="')[1].split('"')[0])

    before = top_of_name(response.content)
    edit = reverse("certification:blanko_layout_edit", args=[cert.scheme.pk])
    assert client.post(edit, {"margin_top": "200", "margin_bottom": "20", "margin_left": "30", "margin_right": "30",
                              "font_size": "11"}).status_code == 200  # 200 mm is refused, with a message
    assert not BlankoLayout.objects.exists()
    assert client.post(edit, {"margin_top": "92", "margin_bottom": "20", "margin_left": "30", "margin_right": "30",
                              "font_size": "11"}).status_code == 302
    after = top_of_name(client.get(url).content)
    assert after - before == pytest.approx(30 * 72 / 25.4, abs=1.5)  # 30 mm lower
    client.force_login(candidate)
    assert client.get(url).status_code == 403
    assert client.get(edit).status_code == 403


def test_issued_pdf_is_stored_signed_and_served_until_what_it_shows_changes(cert, tmp_path, settings):
    from django.core.files.storage import default_storage

    cert.refresh_from_db()
    assert cert.pdf and len(cert.pdf_fingerprint) == 64  # rendered and signed when it was issued
    with cert.pdf.open("rb") as f:
        stored = f.read()
    assert "Signature is Valid." in _tool("pdfsig", stored, tmp_path)
    assert rendering.render_certificate(cert) == stored  # nothing it shows changed: the stored copy, as is
    # Something it shows changes: rendered and signed anew, stored in place of the old copy.
    old_name = cert.pdf.name
    Certificate.objects.filter(pk=cert.pk).update(bnsp_registration_number="REG-9")
    cert.refresh_from_db()
    again = rendering.render_certificate(cert)
    assert again != stored and "REG-9" in _tool("pdftotext", again, tmp_path)
    cert.refresh_from_db()
    assert cert.pdf.name != old_name and not default_storage.exists(old_name)
    assert rendering.render_certificate(cert) == again
    # A new signing key: signed anew with it.
    (tmp_path / "new.pem").write_bytes(signing.self_signed_pem("LSP Kunci Baru"))
    settings.PDF_SIGNING_KEY_FILE = settings.PDF_SIGNING_CERT_FILE = str(tmp_path / "new.pem")
    signing._loaded.clear()
    out = _tool("pdfsig", rendering.render_certificate(cert), tmp_path)
    assert "Common Name: LSP Kunci Baru" in out and "Signature is Valid." in out
    signing._loaded.clear()


def test_one_typst_session_makes_the_same_certificate_as_a_fresh_compile(cert, tmp_path):
    from kompeten.core.pdf import PdfSession, render_pdf

    session = PdfSession("certificate.typ", pdf_standards=rendering.PDF_STANDARDS)
    data = rendering.certificate_data(cert)
    other = {**data, "holder_name": "Citra Lestari", "number": "CERT/X/00002"}
    for d in (data, other, data):  # the session renders each document from its own data, nothing carried over
        fresh = _tool("pdftotext", render_pdf("certificate.typ", d, pdf_standards=rendering.PDF_STANDARDS), tmp_path)
        assert _tool("pdftotext", session.render(d), tmp_path) == fresh
