"""The BNSP blanko exchange for one plenary meeting (DOMAIN.md §6): the request package (the sheet of every
candidate decided in the meeting, K and BK, in the columns LSPs send to BNSP, with the minutes and the decision
letter as PDFs, in one ZIP), then the blanko's life as acts: request sent (letter number, date) → blanko received
(a range of numbers) → each certificate given its blanko number → BNSP's registration numbers imported back from a
spreadsheet (matched by NIK and scheme; rows that match nothing are reported, never guessed).

Why per meeting: the minutes and the decision letter that go with the sheet are the meeting's (certification.pleno),
and the blanko BNSP sends back are for the certificates that meeting decided. The codes come from APL.01 (BNSP's
code lists, core.codes) and the event (Kode Jadwal, recorded from BNSP through events.services).

Every act: Admin LSP, checked, atomic, logged. Reading the page and the package: Admin LSP and Ketua LSP. The
sheet carries NIKs in full: BNSP needs them, and only those two roles can download it.
"""

import csv
import io
import re
import zipfile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from kompeten.assessment.selectors import assessment_record
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_bnsp_date
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role

from . import pleno
from .models import BlankoRequest, Certificate, Decision, Meeting

register_act_labels({
    "send_blanko_request": gettext_lazy("Permohonan blanko dikirim ke BNSP"),
    "receive_blanko": gettext_lazy("Blanko dari BNSP diterima"),
    "assign_blanko_numbers": gettext_lazy("Nomor blanko diberikan kepada sertifikat"),
    "give_blanko_number": gettext_lazy("Nomor blanko dicatat pada sertifikat"),
    "import_bnsp_registrations": gettext_lazy("Nomor registrasi BNSP diimpor"),
    "record_bnsp_registration": gettext_lazy("Nomor registrasi BNSP dicatat pada sertifikat"),
})

# The columns of the blanko request sheet, in order, as LSPs send them to BNSP (DOMAIN.md §6). Dates dd/mm/yyyy.
SHEET_COLUMNS = ["No", "Nama Asesi", "NIK", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Tempat Tinggal",
                 "Kode Kota", "Kode Provinsi", "Telp", "Email", "Kode Pendidikan", "Kode Pekerjaan", "Kode Jadwal",
                 "Tanggal Uji", "Nomor Registrasi Asesor", "Kode Sumber Anggaran", "Kode Kementerian", "K/BK"]
# A row missing one of these cannot be accepted by BNSP; the page lists them before the package is sent.
REQUIRED = ["Nama Asesi", "NIK", "Tempat Lahir", "Tanggal Lahir", "Jenis Kelamin", "Tempat Tinggal", "Kode Kota",
            "Kode Provinsi", "Telp", "Email", "Kode Pendidikan", "Kode Pekerjaan", "Kode Jadwal", "Tanggal Uji",
            "Nomor Registrasi Asesor", "Kode Sumber Anggaran"]

# The sheet staff fill with BNSP's registration numbers and import back.
RETURN_COLUMNS = ["No", "Nama Asesi", "NIK", "Nomor Skema", "Nomor Sertifikat", "Nomor Blanko", "Nomor Registrasi"]
HEADER_ALIASES = {
    "nik": {"nik", "no nik", "nomor nik", "nomor induk kependudukan"},
    "scheme": {"nomor skema", "kode skema", "no skema", "skema"},
    "registration": {"nomor registrasi", "no reg", "no registrasi", "nomor registrasi bnsp", "no reg bnsp"},
}
MAX_UPLOAD = 5 * 1024 * 1024
MAX_RANGE = 10000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --- who may ------------------------------------------------------------------------------------------


def may_view(user):
    return bool(user.is_authenticated and user.role_set() & {Role.ADMIN, Role.LSP_HEAD})


def _require_admin(actor):
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Pertukaran blanko dengan BNSP hanya dilakukan oleh Admin LSP."))


def _require_closed(meeting):
    if meeting.is_open:
        raise WorkflowError(_("Permohonan blanko disusun setelah rapat pleno ditutup (SK dan berita acara "
                              "bernomor)."))


def request_of(meeting):
    return BlankoRequest.objects.filter(meeting=meeting).select_related("sent_by", "received_by").first()


# --- the sheet ----------------------------------------------------------------------------------------


def _decisions(meeting):
    return (Decision.objects.filter(meeting_ref=meeting.reference)
            .select_related("case__candidate", "case__scheme", "case__event", "case__assessor",
                            "case__application")
            .order_by("decision", "case__number"))


def sheet_rows(meeting):
    """One row per candidate decided in the meeting (K and BK): {column: value} in SHEET_COLUMNS, plus
    "missing" (the required columns left empty) and "case" for the page."""
    rows = []
    for no, d in enumerate(_decisions(meeting), start=1):
        case = d.case
        app = getattr(case, "application", None)
        event = case.event
        tested_on = event.starts_at if event else None
        if tested_on is None:
            record = assessment_record(case)
            tested_on = record.started_on if record else None

        def get(name, app=app):
            return (getattr(app, name, "") or "") if app is not None else ""

        row = {
            "No": no,
            "Nama Asesi": get("full_name") or case.candidate.display_name,
            "NIK": get("nik") or get("passport_number"),
            "Tempat Lahir": get("birth_place"),
            "Tanggal Lahir": format_bnsp_date(app.birth_date if app else None),
            "Jenis Kelamin": get("sex"),
            "Tempat Tinggal": " ".join(get("address").split()),
            "Kode Kota": get("city_code"),
            "Kode Provinsi": get("province_code"),
            "Telp": get("phone") or get("phone_home"),
            "Email": get("email") or case.candidate.email,
            "Kode Pendidikan": get("education_code"),
            "Kode Pekerjaan": get("occupation_code"),
            "Kode Jadwal": event.bnsp_schedule_code if event else "",
            "Tanggal Uji": format_bnsp_date(tested_on),
            "Nomor Registrasi Asesor": case.assessor.met_number if case.assessor_id else "",
            "Kode Sumber Anggaran": get("funding_code"),
            "Kode Kementerian": get("ministry_code"),
            "K/BK": d.decision,
        }
        row["missing"] = [c for c in REQUIRED if not str(row[c]).strip()]
        row["case"] = case
        rows.append(row)
    return rows


def _workbook(columns, rows, title):
    wb = Workbook()
    ws = wb.active
    ws.title = title
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([row[c] for c in columns])
    # Every cell but No as text: a NIK or phone number typed as a number loses digits in a spreadsheet.
    for col in ws.iter_cols(min_col=2, min_row=2):
        for cell in col:
            cell.number_format = "@"
    for i, name in enumerate(columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(6, min(40, len(name) + 4))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def sheet_xlsx(meeting):
    """The blanko request sheet of the meeting: exactly SHEET_COLUMNS, one row per candidate decided."""
    return _workbook(SHEET_COLUMNS, sheet_rows(meeting), "Permohonan Blanko")


def _safe(text):
    return re.sub(r"[^A-Za-z0-9.-]+", "-", text).strip("-")


def package_zip(meeting, actor):
    """The request package as one ZIP: the sheet (XLSX), the minutes and the decision letter (PDF). Logged."""
    if not may_view(actor):
        raise NotAllowed(_("Paket permohonan blanko hanya untuk Admin LSP dan Ketua LSP."))
    _require_closed(meeting)
    ref = _safe(meeting.reference)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"permohonan-blanko-{ref}.xlsx", sheet_xlsx(meeting))
        zf.writestr(f"berita-acara-{_safe(meeting.minutes_number)}.pdf", pleno.minutes_pdf(meeting))
        zf.writestr(f"SK-{_safe(meeting.sk_number)}.pdf", pleno.sk_pdf(meeting))
    # The sheet carries every candidate's NIK: who took it is on record (UU PDP), like a look at a personal file.
    # (The act of cases.privacy: a look at personal data, not a change of anything.)
    log_action(actor, "view_personal_data", meeting, data={"what": "blanko_package",
                                                           "candidates": len(_decisions(meeting))})
    return buffer.getvalue()


# --- the blanko's life ----------------------------------------------------------------------------------


def record_request_sent(meeting, actor, *, letter_number, sent_on):
    """Admin LSP: the request letter for the meeting's blanko was sent to BNSP (its number and date)."""
    _require_admin(actor)
    _require_closed(meeting)
    letter_number = (letter_number or "").strip()
    errors = {}
    if not letter_number:
        errors["letter_number"] = [_("Isi nomor surat permohonan.")]
    if not sent_on:
        errors["sent_on"] = [_("Isi tanggal surat dikirim.")]
    elif sent_on > timezone.localdate():
        errors["sent_on"] = [_("Tanggal kirim tidak boleh di masa depan.")]
    elif sent_on < meeting.held_on:
        errors["sent_on"] = [_("Tanggal kirim tidak boleh sebelum rapat pleno.")]
    if errors:
        raise WorkflowError(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        if BlankoRequest.objects.filter(meeting=meeting).exists():
            raise WorkflowError(_("Permohonan blanko untuk rapat ini sudah tercatat terkirim."))
        req = BlankoRequest.objects.create(meeting=meeting, letter_number=letter_number, sent_on=sent_on,
                                           sent_by=actor)
        log_action(actor, "send_blanko_request", req, data={"meeting": meeting.reference, "letter": letter_number,
                                                            "sent_on": sent_on.isoformat(),
                                                            "candidates": len(_decisions(meeting))},
                   status_after=req.status)
    return req


def _split(number):
    """"B-0012345" → ("B-", 12345, 7): a blanko number is a prefix and a serial with a fixed width."""
    m = re.fullmatch(r"(.*?)(\d+)", (number or "").strip())
    if not m:
        return None
    return m.group(1), int(m.group(2)), len(m.group(2))


def numbers_in(req):
    """Every blanko number of the received range, in order."""
    first, last = _split(req.first_number), _split(req.last_number)
    if not first or not last:
        return []
    prefix, start, width = first
    return [f"{prefix}{n:0{width}d}" for n in range(start, last[1] + 1)]


def record_blanko_received(req, actor, *, received_on, first_number, last_number):
    """Admin LSP: BNSP's blanko for the request arrived, a range of numbers (first and last, same prefix)."""
    _require_admin(actor)
    first_number, last_number = (first_number or "").strip(), (last_number or "").strip()
    first, last = _split(first_number), _split(last_number)
    errors = {}
    if not first:
        errors["first_number"] = [_("Nomor blanko harus diakhiri angka urut, misalnya B-0012345.")]
    if not last:
        errors["last_number"] = [_("Nomor blanko harus diakhiri angka urut, misalnya B-0012399.")]
    if first and last:
        if first[0] != last[0] or first[2] != last[2]:
            errors["last_number"] = [_("Nomor pertama dan terakhir harus berawalan dan berpanjang sama.")]
        elif last[1] < first[1]:
            errors["last_number"] = [_("Nomor terakhir harus sama dengan atau sesudah nomor pertama.")]
        elif last[1] - first[1] + 1 > MAX_RANGE:
            errors["last_number"] = [_("Rentang lebih dari %(n)s blanko; periksa nomornya.") % {"n": MAX_RANGE}]
    if not received_on:
        errors["received_on"] = [_("Isi tanggal blanko diterima.")]
    elif received_on > timezone.localdate():
        errors["received_on"] = [_("Tanggal terima tidak boleh di masa depan.")]
    if errors:
        raise WorkflowError(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        req = BlankoRequest.objects.select_for_update().get(pk=req.pk)
        if req.status != BlankoRequest.Status.SENT:
            raise WorkflowError(_("Blanko untuk permohonan ini sudah tercatat diterima."))
        if received_on < req.sent_on:
            raise WorkflowError(_("Tanggal terima tidak boleh sebelum surat permohonan dikirim."),
                                field_errors={"received_on": [_("Sebelum tanggal kirim.")]})
        before = req.status
        req.received_on, req.first_number, req.last_number = received_on, first_number, last_number
        req.received_by, req.status = actor, BlankoRequest.Status.RECEIVED
        req.save()
        log_action(actor, "receive_blanko", req, data={"first": first_number, "last": last_number,
                                                       "count": last[1] - first[1] + 1},
                   status_before=before, status_after=req.status)
    return req


def certificates_of(meeting):
    """The certificates issued from the meeting's K decisions, by certificate number."""
    cases = Decision.objects.filter(meeting_ref=meeting.reference, decision="K").values("case_id")
    return Certificate.objects.filter(case_id__in=cases).select_related("case__application", "scheme").order_by("number")


def assign_blanko_numbers(req, actor):
    """Admin LSP: gives each certificate of the meeting without a blanko number the next unused number of the
    received range, in certificate-number order. All or none: refused when the range has too few numbers left."""
    _require_admin(actor)
    with transaction.atomic():
        req = BlankoRequest.objects.select_for_update().select_related("meeting").get(pk=req.pk)
        if req.status != BlankoRequest.Status.RECEIVED:
            raise WorkflowError(_("Catat dulu blanko yang diterima dari BNSP."))
        waiting = list(certificates_of(req.meeting).select_for_update(of=("self",)).filter(blanko_number=""))
        if not waiting:
            raise WorkflowError(_("Semua sertifikat rapat ini sudah bernomor blanko (atau belum ada sertifikat "
                                  "yang terbit)."))
        numbers = numbers_in(req)
        used = set(Certificate.objects.filter(blanko_number__in=numbers).values_list("blanko_number", flat=True))
        free = [n for n in numbers if n not in used]
        if len(free) < len(waiting):
            raise WorkflowError(_("Rentang blanko tinggal %(free)s nomor, padahal %(n)s sertifikat menunggu.")
                                % {"free": len(free), "n": len(waiting)})
        given = {}
        for cert, number in zip(waiting, free, strict=False):
            cert.blanko_number = number
            cert.save(update_fields=["blanko_number"])
            log_action(actor, "give_blanko_number", cert, data={"blanko": number, "request": req.pk})
            given[cert.number] = number
        log_action(actor, "assign_blanko_numbers", req, data={"given": given})
    return given


# --- registration numbers back from BNSP ------------------------------------------------------------------


def return_rows(meeting):
    rows = []
    for no, cert in enumerate(certificates_of(meeting), start=1):
        app = getattr(cert.case, "application", None)
        rows.append({"No": no, "Nama Asesi": cert.holder_name, "NIK": (app.nik or app.passport_number) if app else "",
                     "Nomor Skema": cert.scheme.number, "Nomor Sertifikat": cert.number,
                     "Nomor Blanko": cert.blanko_number, "Nomor Registrasi": cert.bnsp_registration_number})
    return rows


def return_xlsx(meeting):
    """The sheet to fill with BNSP's registration numbers: one row per certificate of the meeting."""
    return _workbook(RETURN_COLUMNS, return_rows(meeting), "Nomor Registrasi")


def _header_key(value):
    return " ".join(re.sub(r"[^a-z0-9]+", " ", str(value or "").lower()).split())


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _cell(row, i):
    return _text(row[i]) if i is not None and i < len(row) else ""


def _read_table(upload):
    """[row values] of the first sheet of an XLSX, or of a CSV (comma or semicolon). Raises WorkflowError."""
    if upload is None:
        raise WorkflowError(_("Pilih berkas XLSX atau CSV."))
    if upload.size > MAX_UPLOAD:
        raise WorkflowError(_("Berkas lebih dari 5 MB."))
    content = upload.read()
    if content[:2] == b"PK":
        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
            wb.close()
            return rows
        except Exception as exc:  # a damaged or foreign zip: openpyxl raises many kinds
            raise WorkflowError(_("Berkas XLSX tidak dapat dibaca. Simpan ulang sebagai XLSX atau CSV.")) from exc
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WorkflowError(_("Berkas bukan XLSX dan bukan CSV UTF-8.")) from exc
    if "\x00" in text:
        raise WorkflowError(_("Berkas bukan XLSX dan bukan CSV UTF-8."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def import_registration_numbers(req, actor, upload):
    """Admin LSP: reads BNSP's registration numbers from a spreadsheet (columns NIK, Nomor Skema, Nomor Registrasi,
    found by their headers) and records each on the certificate of this request's meeting with that NIK and
    scheme. Rows that match nothing, are empty, repeat a row or conflict with a number already recorded are
    reported and change nothing; the matched rows are recorded together. Returns the report."""
    _require_admin(actor)
    table = _read_table(upload)
    header_at = next((i for i, row in enumerate(table[:10])
                      if any(_header_key(v) in HEADER_ALIASES["nik"] for v in row)), None)
    if header_at is None:
        raise WorkflowError(_("Baris judul tidak ditemukan: berkas harus memiliki kolom NIK, Nomor Skema dan "
                              "Nomor Registrasi (unduh templatnya)."))
    keys = [_header_key(v) for v in table[header_at]]
    where = {}
    for field, aliases in HEADER_ALIASES.items():
        where[field] = next((i for i, k in enumerate(keys) if k in aliases), None)
    lacking = [label for field, label in (("scheme", "Nomor Skema"), ("registration", "Nomor Registrasi"))
               if where[field] is None]
    if lacking:
        raise WorkflowError(_("Kolom tidak ditemukan: %(cols)s.") % {"cols": ", ".join(lacking)})

    report = {"updated": [], "unchanged": [], "unmatched": []}
    with transaction.atomic():
        req = BlankoRequest.objects.select_for_update().select_related("meeting").get(pk=req.pk)
        certs = {}
        for cert in certificates_of(req.meeting).select_for_update(of=("self",)):
            app = getattr(cert.case, "application", None)
            for ident in filter(None, (app.nik, app.passport_number) if app else ()):
                certs[(ident, cert.scheme.number.strip().upper())] = cert
        seen = {}
        for line, row in enumerate(table[header_at + 1:], start=header_at + 2):
            nik, scheme, reg = (_cell(row, where[k]) for k in ("nik", "scheme", "registration"))
            if not (nik or scheme or reg):
                continue  # a blank line
            entry = {"row": line, "nik": nik, "scheme": scheme, "registration": reg}
            key = (nik, scheme.upper())
            if not nik or not scheme:
                report["unmatched"].append({**entry, "reason": _("NIK atau nomor skema kosong.")})
            elif not reg:
                report["unmatched"].append({**entry, "reason": _("Nomor registrasi kosong.")})
            elif len(reg) > 60:
                report["unmatched"].append({**entry, "reason": _("Nomor registrasi lebih dari 60 karakter.")})
            elif key in seen:
                report["unmatched"].append({**entry, "reason": _("Sama dengan baris %(row)s.") % {"row": seen[key]}})
            elif key not in certs:
                report["unmatched"].append({**entry, "reason": _("Tidak ada sertifikat rapat ini dengan NIK dan "
                                                                 "skema tersebut.")})
            else:
                seen[key] = line
                cert = certs[key]
                entry["certificate"] = cert.number
                if cert.bnsp_registration_number == reg:
                    report["unchanged"].append(entry)
                elif cert.bnsp_registration_number:
                    report["unmatched"].append({**entry, "reason": _("Sertifikat %(cert)s sudah bernomor registrasi "
                                                                     "%(reg)s; tidak diubah.")
                                                % {"cert": cert.number, "reg": cert.bnsp_registration_number}})
                else:
                    cert.bnsp_registration_number = reg
                    cert.save(update_fields=["bnsp_registration_number"])
                    log_action(actor, "record_bnsp_registration", cert, data={"registration": reg, "request": req.pk})
                    report["updated"].append(entry)
        log_action(actor, "import_bnsp_registrations", req,
                   data={"file": getattr(upload, "name", ""), "updated": len(report["updated"]),
                         "unchanged": len(report["unchanged"]), "unmatched": len(report["unmatched"])})
    return report


def requests():
    return BlankoRequest.objects.select_related("meeting").order_by("-sent_on", "-id")


def closed_meetings():
    return Meeting.objects.filter(status=Meeting.Status.CLOSED).select_related("blanko_request").order_by("-held_on", "-id")
