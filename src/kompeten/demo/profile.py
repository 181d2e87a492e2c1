"""The demo LSP's own profile (name, licence, contact, logo), saved through the same service as the admin's
profile page. The demo builder calls `demo_lsp_profile(admin)` once the admin exists."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from kompeten.core.services import update_lsp_profile

LOGO = Path(__file__).resolve().parent / "assets" / "lsp-tdn-logo.png"

PROFILE = {
    "name": "LSP Teknologi Digital Nusantara",
    "licence_number": "BNSP-LSP-1234-ID",
    "description": ("LSP P2 berlisensi BNSP untuk tenaga pengembang perangkat lunak di Jawa Barat: sertifikasi "
                    "Junior Web Developer dan klaster pemrograman berbasis SKKNI J.620100, diuji oleh asesor "
                    "teregistrasi di TUK terverifikasi."),
    "address": "Jl. Dipati Ukur No. 112, Lebakgede, Coblong\nBandung, Jawa Barat 40132",
    "phone": "(022) 2504 1188",
    "email": "info@lsp-tdn.id",
    "website": "https://lsp-tdn.id",
}


def demo_lsp_profile(admin):
    """Save the demo profile as `admin` (an Admin LSP); safe to call again."""
    logo = SimpleUploadedFile("logo.png", LOGO.read_bytes(), "image/png")
    return update_lsp_profile(admin, logo=logo, **PROFILE)
