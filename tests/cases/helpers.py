"""Builders for case tests: a complete draft ready to submit."""

import datetime as dt
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from kompeten.cases import services
from kompeten.catalog.models import Requirement

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


# A whole 1×1 PNG and a structurally whole JPEG (uploads are checked throughout, not by their first bytes).
PNG = (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
       + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + _png_chunk(b"IEND", b""))
JPEG = (b"\xff\xd8" + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\x12\x34\x56" + b"\xff\xd9")

# NIK of a man born 17-08-1990 in Jawa Barat (32).
NIK_MALE = "3273011708900001"
# Same date for a woman: day + 40.
NIK_FEMALE = "3273015708900002"

APPLICATION = {
    "full_name": "Budi Santoso", "nik": NIK_MALE, "passport_number": "", "birth_place": "Bandung",
    "birth_date": dt.date(1990, 8, 17), "sex": "L", "nationality": "Indonesia", "address": "Jl. Dago 10",
    "postcode": "40135", "phone_home": "", "phone": "081234567890", "email": "budi@example.id",
    "education": "SMK Rekayasa Perangkat Lunak", "employer": "PT Maju Jaya", "position": "Programmer",
    "office_address": "Jl. Asia Afrika 1", "office_postcode": "40111", "office_phone": "0224200000",
    "office_fax": "", "office_email": "", "purpose": "sertifikasi", "purpose_other": "",
}


def pdf_file(name="bukti.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def fill_case(case, candidate, *, answers=True, documents=True):
    services.save_application(case, candidate, dict(APPLICATION))
    docs = []
    if documents:
        for req in Requirement.objects.filter(scheme=case.scheme, needs_upload=True):
            docs.append(services.upload_document(case, candidate, file=pdf_file(f"req{req.pk}.pdf"), requirement=req))
    if answers:
        elements = services.scheme_elements(case.scheme)
        services.save_self_assessment(case, candidate, {
            e.pk: {"answer": "K", "evidence": [docs[0].pk] if docs else [], "note": ""} for e in elements})
    case.refresh_from_db()
    return case


def submitted_case(scheme, candidate):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    services.submit_application(case, candidate)
    case.refresh_from_db()
    return case


def review_items(scheme, *, bad=()):
    return [{"requirement_id": r.pk, "present": r.pk not in bad, "meets": r.pk not in bad,
             "comment": "buram" if r.pk in bad else ""} for r in Requirement.objects.filter(scheme=scheme)]
