"""How long does a certificate PDF take, against a one-line Typst document rendered in the same run?"""

import json

from _setup import django_in_tempdir, median_seconds

django_in_tempdir()

import typst  # noqa: E402

from kompeten.core.pdf import qr_svg, render_pdf  # noqa: E402

header = {"scheme_title": "Pengembang Web Pratama (Junior Web Developer)", "scheme_number": "SKM/LSP-TDN/01/2026",
          "scheme_type": "Okupasi", "tuk_type": "Sewaktu", "tuk_name": "TUK", "assessor": "Dewi", "assessor_met": "",
          "candidate": "Budi Santoso", "date": "25 November 2026"}
data = {
    "header": header, "number": "CERT/LSP-TDN/JWD/2026/00001", "holder_name": "Budi Santoso",
    "scheme_title": header["scheme_title"], "scheme_number": header["scheme_number"],
    "units": [{"code": f"J.620100.0{i:02d}.01", "title": "Unit kompetensi"} for i in range(6)],
    "issued_on": "25 November 2026", "valid_until": "25 November 2029", "issued_on_en": "25 November 2026",
    "valid_until_en": "25 November 2029", "bnsp_registration_number": "", "blanko_number": "",
    "status_label": "Berlaku", "is_valid": True, "verify_url": "http://127.0.0.1:8000/sertifikat/v/x/",
    "qr": qr_svg("http://127.0.0.1:8000/sertifikat/v/x/"),
    "signatures": [{"role": "Ketua LSP / Head of LSP", "name": "Hendra", "reg": "", "signed_at": "25 November 2026"}],
    "issued_at": "25 November 2026, 10.00",
    "status_id": "BERLAKU", "status_en": "VALID", "mark": "", "photo": [], "photo_format": "",
    "head_name": "Hendra", "place": "Bandung",
}


def baseline():
    return typst.compile(b"Hello", format="pdf")


def certificate():
    return render_pdf("certificate.typ", data)


try:
    certificate()
except Exception as exc:  # the template's data contract changed: say so plainly
    raise SystemExit(f"certificate.typ needs other data now: {exc}") from exc
t0, t1 = median_seconds(baseline), median_seconds(certificate)
print(f"one-line document {t0 * 1000:6.1f} ms | certificate {t1 * 1000:6.1f} ms | ratio {t1 / t0:5.1f}")
print(json.dumps({"baseline_ms": round(t0 * 1000, 1), "certificate_ms": round(t1 * 1000, 1)}))
print(f"RESULT ratio={t1 / t0:.2f} certificate_ms={t1 * 1000:.1f} baseline_ms={t0 * 1000:.1f}")
