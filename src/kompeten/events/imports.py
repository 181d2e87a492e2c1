"""Importing a class of candidates for an event from XLSX or CSV (issue 10, bulk work).

1. `check_file` (Admin LSP, or the Ketua TUK of the event's TUK): reads the file, refuses a file that is not on
   the template, checks every row (NIK, dates, e-mail, phone, duplicates in the file and against the people on
   record) and keeps the result as a CandidateImport with its per-row report. Nothing is created yet.
2. `start_import`: the person chooses every row (only when none has a problem) or only the valid rows; a
   background job (core.jobs) does the work.
3. The job checks the rows against the people on record again (someone may have registered meanwhile), then in
   one transaction — under the event's lock, through workflow.transition — creates the accounts (no password:
   an invitation sets it), the candidate role and one draft case per person placed for the event with FR.APL.01
   filled in (cases.services.open_imported_cases). All or none: a problem found now fails the whole import when
   every row was asked for. After the commit each person gets the invitation e-mail to set a password and
   complete APL.01/APL.02; the progress bar follows the invitations.
"""

import io
import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.cases.selectors import niks_in_use
from kompeten.cases.services import open_imported_cases
from kompeten.cases.workflow import check, roles_for, transition
from kompeten.core import codes
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.jobs import register_job, start_job
from kompeten.core.notify import lazy_text
from kompeten.core.services import create_invited_candidates, emails_in_use, send_invitations
from kompeten.events import import_rows
from kompeten.events.import_rows import COLUMNS, FileProblem
from kompeten.events.models import CandidateImport
from kompeten.events.services import seats_taken

log = logging.getLogger(__name__)

IMPORT_JOB = "events.import_candidates"
INVITE_JOB = "events.invite_candidates"

register_act_labels({
    "check_candidate_import": gettext_lazy("Memeriksa berkas impor asesi"),
    "start_candidate_import": gettext_lazy("Memulai impor asesi"),
})


# --- who may -----------------------------------------------------------------------------------------------


def may_import(user, event):
    """True when `user` may import candidates for `event` now (Admin LSP, or the head of the event's TUK, while
    the event is a draft or published and has not started)."""
    try:
        check_may_import(user, event)
    except (NotAllowed, WorkflowError):
        return False
    return True


def may_see_imports(user, event):
    """Admin LSP and the head of the event's TUK see the event's imports and their reports."""
    return bool(roles_for(user, event) & {"admin", "tuk_head"})


def check_may_import(user, event):
    check(user, event, "import_candidates")
    if event.starts_at <= timezone.now():
        raise WorkflowError(_("Jadwal %(event)s sudah dimulai; asesi tidak dapat diimpor lagi.")
                            % {"event": event.number})


def seats_left(event):
    return max(0, event.quota - seats_taken(event))


# --- 1. checking the file -------------------------------------------------------------------------------------


def check_file(event, actor, uploaded):
    """Admin LSP / Ketua TUK of the event: read and check `uploaded` (an UploadedFile: XLSX or CSV on the
    template). Refuses a file that cannot be read or is not on the template (WorkflowError, nothing kept);
    otherwise records the CandidateImport with the valid rows and the per-row report, and logs the check."""
    check_may_import(actor, event)
    name = (getattr(uploaded, "name", "") or "")[:255]
    data = uploaded.read()
    if not data:
        raise WorkflowError(_("Berkas kosong."), field_errors={"file": [_("Berkas kosong.")]})
    try:
        kind, rows, problems, total = _check_rows(data, name)
    except FileProblem as exc:
        raise WorkflowError(str(exc), field_errors={"file": [str(exc)]}) from None
    error_rows = len({p[0] for p in problems})
    with transaction.atomic():
        imp = CandidateImport.objects.create(event=event, created_by=actor, file_name=name, file_kind=kind,
                                             total_rows=total, error_rows=error_rows, rows=rows, problems=problems)
        log_action(actor, "check_candidate_import", event, data={
            "import": imp.pk, "file": name, "rows": total, "rows_with_problems": error_rows})
    return imp


def _check_rows(data, name):
    kind, table = import_rows.read_table(data, name)
    header = None
    for number, cells in table:
        if not import_rows.is_empty(cells):
            header = (number, cells)
            break
    if header is None:
        raise FileProblem(_("Berkas tidak berisi baris judul kolom maupun data. Gunakan templat."))
    keys = import_rows.map_columns(header[1])
    # The BNSP code lists, read once for the whole file (only those the file has a column for).
    kinds = {c.code_kind for c in import_rows.CODE_COLUMNS if c.key in keys}
    code_lists = {kind: import_rows.CodeList(kind, entries)
                  for kind, entries in (codes.active_lists(kinds).items() if kinds else ())}
    rows, problems, total = [], [], 0
    first_nik, first_email = {}, {}
    for number, cells in table:
        if import_rows.is_empty(cells):
            continue
        total += 1
        if total > import_rows.MAX_ROWS:
            raise FileProblem(_("Berkas berisi lebih dari %(n)s baris data. Bagi menjadi beberapa berkas.")
                              % {"n": f"{import_rows.MAX_ROWS:,}".replace(",", ".")})
        fields, found = import_rows.check_row(cells, keys, code_lists)
        nik, email = fields["nik"], fields["email"]
        if nik and nik in first_nik:
            found.append(("NIK", nik, _("NIK yang sama sudah ada di baris %(row)s.") % {"row": first_nik[nik]}))
        if email and email in first_email:
            found.append(("Email", email, _("Email yang sama sudah ada di baris %(row)s.")
                          % {"row": first_email[email]}))
        if nik:
            first_nik.setdefault(nik, number)
        if email:
            first_email.setdefault(email, number)
        if found:
            problems.extend([number, column, value, message] for column, value, message in found)
        else:
            fields["birth_date"] = fields["birth_date"].isoformat()
            rows.append({"row": number, "data": fields})
    if total == 0:
        raise FileProblem(_("Berkas hanya berisi baris judul kolom; belum ada data asesi."))
    # Against the people on record: one query per 500 e-mails and NIKs, not one per row.
    known = _known_people(rows)
    kept = []
    for row in rows:
        found = known.get(row["row"])
        if found:
            problems.extend([row["row"], *p] for p in found)
        else:
            kept.append(row)
    problems.sort(key=lambda p: p[0])
    return kind, kept, problems, total


def _known_people(rows):
    """{row number: [(column, value, message)]} for rows whose e-mail or NIK already belongs to someone."""
    emails = emails_in_use(r["data"]["email"] for r in rows)
    niks = niks_in_use(r["data"]["nik"] for r in rows)
    out = {}
    for r in rows:
        d = r["data"]
        if d["email"] in emails:
            out.setdefault(r["row"], []).append(("Email", d["email"], _(
                "Sudah ada akun dengan email ini. Orang yang sudah terdaftar mengajukan permohonan dari akunnya "
                "sendiri, lalu dijadwalkan oleh Admin LSP.")))
        if d["nik"] and d["nik"] in niks:
            out.setdefault(r["row"], []).append(("NIK", d["nik"], _(
                "NIK ini sudah tercatat pada permohonan asesi lain. Orang yang sudah terdaftar mengajukan "
                "permohonan dari akunnya sendiri.")))
    return out


# --- 2. starting the import -----------------------------------------------------------------------------------


def start_import(imp, actor, mode):
    """Admin LSP / Ketua TUK of the event: import the checked file in the background — every row (`mode` "all",
    only when no row has a problem) or only the valid rows ("valid"). Refused when the event has too few seats
    left. Returns the job (the one already running when it was started before)."""
    event = imp.event
    check_may_import(actor, event)
    if mode not in CandidateImport.Mode.values:
        raise WorkflowError(_("Pilih: impor semua baris atau hanya baris yang valid."),
                            field_errors={"mode": [_("Pilih salah satu.")]})
    with transaction.atomic():
        locked = CandidateImport.objects.select_for_update().get(pk=imp.pk)
        if locked.status != CandidateImport.Status.CHECKED:
            if locked.job_id and locked.status == CandidateImport.Status.IMPORTING:
                return locked.job
            raise WorkflowError(_("Berkas ini sudah diproses (%(status)s). Unggah berkas baru untuk impor lain.")
                                % {"status": locked.get_status_display()})
        if mode == CandidateImport.Mode.ALL and locked.error_rows:
            msg = _("%(n)s baris masih bermasalah, sehingga tidak semua baris dapat diimpor. Perbaiki berkasnya "
                    "dan unggah lagi, atau pilih impor hanya baris yang valid.") % {"n": locked.error_rows}
            raise WorkflowError(msg, field_errors={"mode": [msg]})
        count = len(locked.rows)
        if not count:
            raise WorkflowError(_("Tidak ada baris yang valid untuk diimpor."))
        left = seats_left(event)
        if count > left:
            msg = _("Jadwal %(event)s hanya punya %(left)s kursi tersisa (kuota %(quota)s), sedangkan %(n)s orang "
                    "akan diimpor. Naikkan kuota jadwal atau impor lebih sedikit orang.") % {
                "event": event.number, "left": left, "quota": event.quota, "n": count}
            raise WorkflowError(msg, field_errors={"mode": [msg]})
        job = start_job(IMPORT_JOB, actor, _("Impor asesi %(event)s (%(n)s orang)") % {"event": event.number,
                                                                                      "n": count},
                        ref=f"import:{locked.pk}", params={"import": locked.pk}, total=count,
                        result_url=locked.get_absolute_url())
        locked.status, locked.mode, locked.job = CandidateImport.Status.IMPORTING, mode, job
        locked.save(update_fields=["status", "mode", "job"])
        log_action(actor, "start_candidate_import", event, data={"import": locked.pk, "mode": mode, "rows": count,
                                                                 "job": job.pk})
    imp.refresh_from_db()
    return job


# --- 3. the job ---------------------------------------------------------------------------------------------


def _run_import(job, progress):
    imp = CandidateImport.objects.select_related("event__scheme", "created_by").get(pk=job.params["import"])
    try:
        users = _create_people(imp, job.owner, progress)
    except Exception as exc:
        text = exc.message if isinstance(exc, (WorkflowError, NotAllowed)) else _(
            "Impor gagal karena kesalahan sistem; tidak ada yang diimpor. Coba lagi atau hubungi pengelola.")
        CandidateImport.objects.filter(pk=imp.pk).update(status=CandidateImport.Status.FAILED, message=str(text),
                                                         finished_at=timezone.now())
        if isinstance(exc, (WorkflowError, NotAllowed)):
            raise RuntimeError(str(text)) from None
        raise
    progress.advance(len(users), _("%(n)s akun dan permohonan dibuat.") % {"n": len(users)})
    if users:
        invite = start_job(INVITE_JOB, job.owner, _("Undangan asesi %(event)s (%(n)s email)")
                           % {"event": imp.event.number, "n": len(users)}, ref=f"invite:{imp.pk}",
                           params={"users": [u.pk for u in users], "scheme": imp.event.scheme.title,
                                   "event": imp.event.number}, total=len(users),
                           result_url=imp.get_absolute_url())
        CandidateImport.objects.filter(pk=imp.pk).update(invite_job=invite)
        progress.note(_("Undangan mengatur kata sandi dikirim di latar (%(n)s email).") % {"n": len(users)})


def _send_invitations(job, progress):
    """The second job of an import: each imported person gets the e-mail to set a password and complete
    APL.01/APL.02, a chunk of people per mail connection."""
    from django.contrib.auth import get_user_model

    ids = job.params["users"]
    by_id = get_user_model().objects.in_bulk(ids)
    users = [by_id[i] for i in ids if i in by_id]
    progress.total(len(users))
    next_step = lazy_text(gettext_lazy(
        "Setelah masuk, lengkapi permohonan sertifikasi %(scheme)s untuk jadwal %(event)s: data pemohon (APL.01), "
        "asesmen mandiri (APL.02) dan dokumen bukti, lalu ajukan permohonannya."),
        scheme=job.params.get("scheme", ""), event=job.params.get("event", ""))
    sent = send_invitations(users, role_label=gettext_lazy("asesi"), next_step=next_step, progress=progress.advance)
    progress.note(_("%(n)s undangan mengatur kata sandi terkirim.") % {"n": sent})


def _create_people(imp, owner, progress):
    rows = list(imp.rows)
    progress.total(len(rows))
    progress.note(_("Memeriksa %(n)s baris terhadap data orang yang sudah terdaftar …") % {"n": len(rows)})
    known = _known_people(rows)
    problems = [list(p) for p in imp.problems]
    if known:
        if imp.mode == CandidateImport.Mode.ALL:
            raise WorkflowError(_("%(n)s orang dalam berkas ini terdaftar setelah berkas diperiksa, sehingga tidak "
                                  "semua baris dapat diimpor. Tidak ada yang diimpor; unggah berkasnya lagi.")
                                % {"n": len(known)})
        for number, found in known.items():
            problems.extend([number, *p] for p in found)
        problems.sort(key=lambda p: p[0])
        rows = [r for r in rows if r["row"] not in known]
        progress.total(len(rows))
        progress.note(_("%(n)s baris dilewati: orangnya terdaftar setelah berkas diperiksa.") % {"n": len(known)})
    event = imp.event
    data = {"import": imp.pk, "mode": imp.mode, "rows": len(rows)}
    with transition(event, "import_candidates", owner, data=data) as ev:
        left = ev.quota - seats_taken(ev)
        if len(rows) > left:
            raise WorkflowError(_("Jadwal %(event)s hanya punya %(left)s kursi tersisa; tidak ada yang diimpor.")
                                % {"event": ev.number, "left": max(0, left)})
        if ev.starts_at <= timezone.now():
            raise WorkflowError(_("Jadwal %(event)s sudah dimulai; tidak ada yang diimpor.") % {"event": ev.number})
        users = create_invited_candidates([r["data"] for r in rows]) if rows else []
        people = []
        for user, row in zip(users, rows, strict=True):
            fields = dict(row["data"])
            fields["birth_date"] = fields["birth_date"] or None
            people.append((user, fields))
        cases = open_imported_cases(owner, scheme=ev.scheme, event=ev, people=people, ref=f"import:{imp.pk}")
        data["cases"] = len(cases)
        CandidateImport.objects.filter(pk=imp.pk).update(
            status=CandidateImport.Status.IMPORTED, imported=len(cases), rows=[], problems=problems,
            error_rows=len({p[0] for p in problems}), finished_at=timezone.now())
    return users


register_job(IMPORT_JOB, _run_import)
register_job(INVITE_JOB, _send_invitations)


# --- the files a person downloads ---------------------------------------------------------------------------


def template_xlsx():
    """The template: sheet "Asesi" with the header, one example row and text-formatted NIK/phone/postcode
    columns (so Excel keeps leading zeros and all 16 digits), and sheet "Petunjuk" saying what each column takes."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Asesi"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for i, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i, value=column.header)
        cell.font, cell.fill = bold, fill
        cell.comment = Comment(str(column.hint), "Kompeten")
        letter = get_column_letter(i)
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.key in ("nik", "phone", "postcode", "passport_number"):
            for row in range(2, 1002):
                sheet.cell(row=row, column=i).number_format = "@"
        if column.key == "birth_date":
            for row in range(2, 1002):
                sheet.cell(row=row, column=i).number_format = "dd/mm/yyyy"
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("Petunjuk")
    notes.append([_("Kolom"), _("Wajib"), _("Isi")])
    for c in notes[1]:
        c.font = bold
    for column in COLUMNS:
        notes.append([column.header, _("ya") if column.required else _("tidak"), str(column.hint)])
    notes.append([])
    notes.append([_("Satu baris untuk satu orang, mulai baris 2 lembar “Asesi”. Jangan ubah baris judul kolom. "
                    "Setiap orang menerima email untuk mengatur kata sandi lalu melengkapi APL.01 dan APL.02.")])
    notes.append([_("Kolom %(columns)s boleh dikosongkan; bila diisi, tulis kode atau nama persis seperti daftar "
                    "kode BNSP di bawah ini. Provinsi tidak perlu ditulis: mengikuti kota/kabupaten.")
                  % {"columns": ", ".join(c.header for c in import_rows.CODE_COLUMNS)}])
    lists = codes.active_lists()
    provinces = {code: name for code, name, _parent in lists.get("province", [])}
    for column in import_rows.CODE_COLUMNS:
        notes.append([])
        title = notes.cell(row=notes.max_row + 1, column=1,
                           value=_("Daftar kode BNSP: %(list)s (kolom “%(column)s”)") % {
                               "list": import_rows.LIST_NAMES[column.code_kind], "column": column.header})
        title.font = bold
        if column.code_kind == "city":
            notes.append([_("Kode"), _("Nama"), _("Provinsi")])
        else:
            notes.append([_("Kode"), _("Nama")])
        for c in notes[notes.max_row]:
            c.font = bold
        for code, name, parent in lists.get(column.code_kind, []):
            if column.code_kind == "city":
                notes.append([code, name, f"{parent} — {provinces.get(parent, '')}"])
            else:
                notes.append([code, name])
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 40
    notes.column_dimensions["C"].width = 90
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv():
    """The same template as CSV (UTF-8 with a byte-order mark so Excel reads it right; ";" as Excel in
    Indonesia writes it)."""
    return ("\ufeff" + ";".join(c.header for c in COLUMNS) + "\r\n").encode("utf-8")


def report_xlsx(imp):
    """The per-row report of an import as XLSX: row, column, value, message (and a summary sheet)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Kesalahan"))
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 24
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 90
    sheet.append([_("Baris"), _("Kolom"), _("Isi"), _("Pesan")])
    for row, column, value, message in imp.problems:
        sheet.append([row, column, value, message])
    summary = book.create_sheet(_("Ringkasan"))
    summary.append([_("Jadwal"), imp.event.number])
    summary.append([_("Berkas"), imp.file_name])
    summary.append([_("Baris data"), imp.total_rows])
    summary.append([_("Baris bermasalah"), imp.error_rows])
    summary.append([_("Baris valid"), imp.valid_rows])
    summary.append([_("Status"), str(imp.get_status_display())])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def imports_of(event):
    return CandidateImport.objects.filter(event=event).select_related("created_by", "job").order_by("-created_at")


def get_import(pk):
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CandidateImport.objects.select_related("event__scheme", "event__site", "created_by",
                                                                     "job", "invite_job"), pk=pk)

