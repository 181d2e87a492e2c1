"""The candidate's application (S1.2) and the admin's document review (S2.1), as service functions.

Every act goes through workflow.transition (lock, role and status check, action log). Edits of a draft
(APL.01 data, APL.02 answers, uploads) are not acts of the workflow table: they lock the case, check that
the candidate may still edit it, and write their own log entry.
"""

import datetime as dt
import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kompeten.cases.models import (
    Application,
    Case,
    Document,
    DocumentReview,
    DocumentReviewItem,
    Purpose,
    SelfAssessmentAnswer,
    Sex,
)
from kompeten.cases.selectors import FINAL_STATUSES
from kompeten.cases.workflow import CASE_FLOW, CaseStatus, transition
from kompeten.catalog.selectors import (  # noqa: F401 (read through cases.services too)
    RequirementKind,
    basic_are_alternatives,
    fix_list,
    requirements_of,
    scheme_elements,
)
from kompeten.core import codes
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, BnspCode, Role, User
from kompeten.core.notify import lazy_text, notify
from kompeten.core.sequences import next_number, take_numbers
from kompeten.core.uploads import file_type

register_act_labels({
    "create_case": _("Membuat permohonan sertifikasi"),
    "save_application": _("Menyimpan data pemohon (FR.APL.01)"),
    "save_self_assessment": _("Menyimpan asesmen mandiri (FR.APL.02)"),
    "upload_document": _("Mengunggah dokumen bukti"),
})

EDITABLE_STATUSES = {CaseStatus.DRAFT, CaseStatus.REVISION}

# Magic bytes of the only file types accepted: the content decides, never the name or the browser.
FILE_SIGNATURES = [
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
]

# APL.01 fields holding a code from BNSP's lists (core.codes), and which list.
BNSP_CODE_FIELDS = {"city_code": BnspCode.Kind.CITY, "education_code": BnspCode.Kind.EDUCATION,
                    "occupation_code": BnspCode.Kind.OCCUPATION, "funding_code": BnspCode.Kind.FUNDING,
                    "ministry_code": BnspCode.Kind.MINISTRY}

# Required APL.01 fields (NIK or passport is checked separately).
REQUIRED_FIELDS = ["full_name", "birth_place", "birth_date", "sex", "nationality", "address", "postcode",
                   "phone", "email", "education"]


def admins():
    return list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())


def _editable(case, actor):
    """Lock the case and check the candidate may still change their file."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.candidate_id != getattr(actor, "pk", None):
        raise NotAllowed(gettext("Hanya asesi pemilik permohonan ini yang dapat mengubahnya."))
    if locked.status not in EDITABLE_STATUSES:
        raise WorkflowError(gettext("Permohonan berstatus “%(status)s” sehingga tidak dapat diubah lagi.")
                            % {"status": locked.get_status_display()})
    return locked


# --- S1.2 the candidate opens a case ---------------------------------------------------------------


def create_case(candidate, scheme, *, purpose=Purpose.CERTIFICATION, purpose_other=""):
    """Candidate (S1.2): opens an application for an active scheme. Creates a draft Case numbered
    PMH-<year>-<00001>. Refused for non-candidates and when an open case for the scheme already exists."""
    if not candidate.has_role(Role.CANDIDATE):
        raise NotAllowed(gettext("Hanya asesi yang dapat mengajukan permohonan sertifikasi."))
    if not scheme.is_active:
        raise WorkflowError(gettext("Skema ini sedang tidak menerima permohonan."))
    if purpose not in Purpose.values:
        raise WorkflowError(gettext("Tujuan asesmen tidak dikenal."), field_errors={"purpose": [gettext("Pilih tujuan asesmen.")]})
    if purpose == Purpose.OTHER and not purpose_other.strip():
        raise WorkflowError(gettext("Tuliskan tujuan asesmen lainnya."),
                            field_errors={"purpose_other": [gettext("Wajib diisi bila memilih “Lainnya”.")]})
    with transaction.atomic():
        # Lock the candidate's row so two clicks cannot open two cases at once.
        User.objects.select_for_update().get(pk=candidate.pk)
        open_case = (Case.objects.filter(candidate=candidate, scheme=scheme)
                     .exclude(status__in=FINAL_STATUSES).first())
        if open_case:
            raise WorkflowError(gettext("Anda sudah memiliki permohonan %(number)s untuk skema ini yang masih berjalan.")
                                % {"number": open_case.number})
        year = timezone.localdate().year
        number = f"PMH-{year}-{next_number('case', year):05d}"
        case = Case.objects.create(number=number, candidate=candidate, scheme=scheme, purpose=purpose,
                                   purpose_other=purpose_other.strip() if purpose == Purpose.OTHER else "")
        full_name = candidate.get_full_name() or candidate.username
        Application.objects.create(case=case, full_name=full_name, email=candidate.email,
                                   phone=getattr(candidate, "phone", "") or "")
        log_action(candidate, "create_case", case, status_after=case.status,
                   data={"scheme": scheme.number})
    return case


APPLICATION_FIELDS = frozenset(f.name for f in Application._meta.get_fields() if f.concrete) - {"id", "case", "updated_at"}


def open_imported_cases(actor, *, scheme, event, people, ref=""):
    """Staff registering a class of candidates (events.imports checks who may, the rows and the seats): one
    draft case per person for `scheme`, placed for `event` (it holds a seat there; the admin schedules it once
    its documents are accepted), its FR.APL.01 filled from the import. `people`: (user, application fields)
    pairs. Bulk inserts and one "create_case" log entry per case, by `actor`, naming the import (`ref`).
    Call inside the act's transaction; returns the cases in the order given."""
    if not scheme.is_active:
        raise WorkflowError(gettext("Skema ini sedang tidak menerima permohonan."))
    if not people:
        return []
    year = timezone.localdate().year
    numbers = take_numbers("case", year, len(people))
    cases = Case.objects.bulk_create(
        [Case(number=f"PMH-{year}-{n:05d}", candidate=user, scheme=scheme, event=event)
         for n, (user, _data) in zip(numbers, people, strict=True)], batch_size=500)
    Application.objects.bulk_create(
        [Application(case=case, **{k: v for k, v in data.items() if k in APPLICATION_FIELDS})
         for case, (_user, data) in zip(cases, people, strict=True)], batch_size=500)
    content_type = ContentType.objects.get_for_model(Case)
    ActionLog.objects.bulk_create(
        [ActionLog(actor=actor, act="create_case", content_type=content_type, object_id=case.pk,
                   status_after=case.status, data={"scheme": scheme.number, "event": event.number, "import": ref})
         for case in cases], batch_size=500)
    return cases


# --- S1.2 FR.APL.01 -----------------------------------------------------------------------------------


def check_nik(nik, birth_date=None, sex=None):
    """Errors (list of text) for an Indonesian NIK: 16 digits, province code 11–94, and digits 7–12 the
    birth date as DDMMYY with 40 added to the day for women, consistent with birth date and sex."""
    errors = []
    if not re.fullmatch(r"\d{16}", nik or ""):
        return [gettext("NIK harus terdiri dari 16 angka (tanpa spasi atau huruf).")]
    province = int(nik[:2])
    if not 11 <= province <= 94:
        errors.append(gettext("Dua angka pertama NIK (kode provinsi %(code)s) tidak valid; seharusnya 11–94.")
                      % {"code": nik[:2]})
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    if female:
        day -= 40
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February is accepted
    except ValueError:
        errors.append(gettext("Angka ke-7 sampai ke-12 NIK bukan tanggal lahir yang valid."))
        return errors
    if birth_date and (day, month, year) != (birth_date.day, birth_date.month, birth_date.year % 100):
        errors.append(gettext("Tanggal lahir pada NIK (%(d)02d-%(m)02d-%(y)02d) tidak sama dengan tanggal lahir yang diisi.")
                      % {"d": day, "m": month, "y": year})
    if sex and (sex == Sex.FEMALE) != female:
        errors.append(gettext("NIK tidak sesuai dengan jenis kelamin: untuk wanita tanggal lahir pada NIK ditambah 40."))
    return errors


def save_application(case, actor, data):
    """Candidate (S1.2): saves the FR.APL.01 draft (personal data, current job, purpose) while the case
    is a draft or returned for revision. Blank fields are allowed until submission; what is filled must be
    valid (NIK checks, passport for non-Indonesians). Returns the Application."""
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    errors = {}
    nationality = data.get("nationality") or "Indonesia"
    indonesian = nationality.lower() in {"indonesia", "wni"}
    nik = data.get("nik") or ""
    if nik and not indonesian:
        errors["nik"] = [gettext("NIK hanya untuk warga negara Indonesia; warga negara asing mengisi nomor paspor.")]
    elif nik:
        nik_errors = check_nik(nik, data.get("birth_date"), data.get("sex"))
        if nik_errors:
            errors["nik"] = nik_errors
    if data.get("passport_number") and indonesian and not nik:
        errors["nik"] = [gettext("Warga negara Indonesia mengisi NIK.")]
    birth_date = data.get("birth_date")
    if birth_date and (birth_date > timezone.localdate() or birth_date.year < 1900):
        errors["birth_date"] = [gettext("Tanggal lahir tidak masuk akal.")]
    if data.get("postcode") and not re.fullmatch(r"\d{5}", data["postcode"]):
        errors["postcode"] = [gettext("Kode pos terdiri dari 5 angka.")]
    if data.get("office_postcode") and not re.fullmatch(r"\d{5}", data["office_postcode"]):
        errors["office_postcode"] = [gettext("Kode pos terdiri dari 5 angka.")]
    for name, kind in BNSP_CODE_FIELDS.items():
        if data.get(name) and not codes.exists(kind, data[name]):
            errors[name] = [gettext("Kode ini tidak ada dalam daftar kode BNSP. Pilih dari daftar.")]
    if "city_code" in data:
        data["province_code"] = codes.province_of_city(data["city_code"]) if data["city_code"] else ""
    purpose = data.pop("purpose", None)
    purpose_other = data.pop("purpose_other", "") or ""
    if purpose == Purpose.OTHER and not purpose_other:
        errors["purpose_other"] = [gettext("Wajib diisi bila memilih “Lainnya”.")]
    if errors:
        raise WorkflowError(gettext("Data belum dapat disimpan. Periksa isian yang ditandai."), field_errors=errors)
    fields = {f.name for f in Application._meta.get_fields() if f.concrete} - {"id", "case", "updated_at"}
    with transaction.atomic():
        locked = _editable(case, actor)
        app, _created = Application.objects.get_or_create(case=locked)
        for key, value in data.items():
            if key in fields:
                setattr(app, key, value if value is not None else ("" if key != "birth_date" else None))
        if not indonesian:
            app.nik = ""
        app.save()
        if purpose:
            locked.purpose = purpose
            locked.purpose_other = purpose_other if purpose == Purpose.OTHER else ""
            locked.save(update_fields=["purpose", "purpose_other", "updated_at"])
        log_action(actor, "save_application", locked)
    case.refresh_from_db()
    return app


# --- S1.2 FR.APL.02 -----------------------------------------------------------------------------------


def save_self_assessment(case, actor, answers):
    """Candidate (S1.2): saves the FR.APL.02 draft. `answers` maps element id → {"answer": "K"|"BK"|"",
    "evidence": [document ids], "note": text}. Elements must belong to the scheme and evidence to the
    candidate's current documents. Creates or updates one SelfAssessmentAnswer per element given."""
    with transaction.atomic():
        locked = _editable(case, actor)
        elements = {e.pk: e for e in scheme_elements(locked.scheme)}
        docs = {d.pk for d in current_documents(locked)}
        errors = {}
        for element_id, a in answers.items():
            if int(element_id) not in elements:
                raise WorkflowError(gettext("Elemen %(id)s bukan bagian dari skema ini.") % {"id": element_id})
            if a.get("answer", "") not in ("K", "BK", ""):
                errors[f"answer_{element_id}"] = [gettext("Pilih K atau BK.")]
            bad = {int(d) for d in a.get("evidence", [])} - docs
            if bad:
                errors[f"evidence_{element_id}"] = [gettext("Bukti yang dipilih bukan dokumen permohonan ini.")]
        if errors:
            raise WorkflowError(gettext("Asesmen mandiri belum dapat disimpan. Periksa isian yang ditandai."),
                                field_errors=errors)
        for element_id, a in answers.items():
            row, _c = SelfAssessmentAnswer.objects.update_or_create(
                case=locked, element_id=int(element_id),
                defaults={"answer": a.get("answer", ""), "note": (a.get("note") or "").strip()[:500]})
            row.evidence.set([int(d) for d in a.get("evidence", [])])
        log_action(actor, "save_self_assessment", locked,
                   data={"answered": sum(1 for a in answers.values() if a.get("answer"))})


# --- S1.2 documents ------------------------------------------------------------------------------------


def current_documents(case):
    """The latest version of each of the case's documents (older versions stay, linked by `previous`)."""
    return (Document.objects.filter(case=case, next_version__isnull=True)
            .select_related("requirement").order_by("requirement__kind", "requirement__order", "id"))


def sniff(head):
    """The type its first bytes claim (a first guess only: upload_document checks the whole content)."""
    for magic, content_type, ext in FILE_SIGNATURES:
        if head.startswith(magic):
            return content_type, ext
    return None, None


def upload_document(case, actor, *, file, requirement=None, title="", replaces=None):
    """Candidate (S1.2): uploads one evidence file (PDF, JPEG or PNG by content, at most
    UPLOAD_MAX_BYTES) while the case is a draft or returned for revision. Stored privately with its
    sha256; `replaces` (a current document of the case) makes the new file its next version."""
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
    if size > limit:
        raise WorkflowError(gettext("Berkas terlalu besar (%(size).1f MB). Ukuran maksimal %(max)s MB.")
                            % {"size": size / 1048576, "max": f"{limit / 1048576:g}"},
                            field_errors={"file": [gettext("Ukuran maksimal %(max)s MB.") % {"max": f"{limit / 1048576:g}"}]})
    if size == 0:
        raise WorkflowError(gettext("Berkas kosong."), field_errors={"file": [gettext("Berkas kosong.")]})
    file.seek(0)
    data = file.read()
    # The whole content decides (core.uploads.file_type), not the first bytes, the name or the browser.
    content_type, ext = file_type(data)
    if not content_type:
        msg = gettext("Jenis berkas tidak diterima. Unggah PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya).")
        raise WorkflowError(msg, field_errors={"file": [msg]})
    digest = hashlib.sha256(data)
    with transaction.atomic():
        locked = _editable(case, actor)
        if requirement is not None and requirement.scheme_id != locked.scheme_id:
            raise WorkflowError(gettext("Persyaratan ini bukan bagian dari skema permohonan."))
        version = 1
        if replaces is not None:
            replaces = Document.objects.select_for_update().get(pk=replaces.pk)
            if replaces.case_id != locked.pk:
                raise NotAllowed(gettext("Dokumen yang diganti bukan milik permohonan ini."))
            if not replaces.is_current:
                raise WorkflowError(gettext("Dokumen ini sudah diganti dengan versi yang lebih baru."))
            requirement = replaces.requirement
            title = title or replaces.title
            version = replaces.version + 1
        name = getattr(file, "name", "") or "berkas"
        doc = Document(case=locked, requirement=requirement, title=title.strip()[:200],
                       original_name=name.rsplit("/", 1)[-1][:255], content_type=content_type, size=size,
                       sha256=digest.hexdigest(), uploaded_by=actor, previous=replaces, version=version)
        doc.file.save(ext, ContentFile(data), save=False)
        doc.save()
        log_action(actor, "upload_document", locked, data={"document": doc.pk, "name": doc.original_name,
                                                            "version": version})
    return doc


# --- S1.2 submission ----------------------------------------------------------------------------------


def upload_requirements(scheme):
    """Requirements that need a document. When the basic requirements are alternatives ("…, atau;"),
    one document for any of them is enough: returned as a group (list) instead of a single requirement."""
    reqs = requirements_of(scheme, needs_upload=True)
    basic = [r for r in reqs if r.kind == RequirementKind.BASIC]
    if basic and basic_are_alternatives(scheme):
        return [basic] + [r for r in reqs if r.kind != RequirementKind.BASIC]
    return reqs


def missing_items(case):
    """Everything still missing before the file can be submitted, each item named (list of text)."""
    missing = []
    app = Application.objects.filter(case=case).first()
    if app is None:
        missing.append(gettext("FR.APL.01 belum diisi."))
    else:
        for name in REQUIRED_FIELDS:
            if not getattr(app, name):
                missing.append(gettext("FR.APL.01: %(field)s belum diisi.")
                               % {"field": Application._meta.get_field(name).verbose_name})
        if app.is_indonesian and not app.nik:
            missing.append(gettext("FR.APL.01: NIK belum diisi."))
        if not app.is_indonesian and not app.passport_number:
            missing.append(gettext("FR.APL.01: nomor paspor belum diisi."))
        if app.nik and app.is_indonesian:
            for err in check_nik(app.nik, app.birth_date, app.sex):
                missing.append(gettext("FR.APL.01: %(err)s") % {"err": err})
    if case.purpose == Purpose.OTHER and not case.purpose_other:
        missing.append(gettext("FR.APL.01: tujuan asesmen lainnya belum ditulis."))
    with_doc = set(current_documents(case).exclude(requirement=None).values_list("requirement_id", flat=True))
    for req in upload_requirements(case.scheme):
        if isinstance(req, list):
            if not with_doc & {r.pk for r in req}:
                missing.append(gettext("Dokumen persyaratan dasar: unggah bukti untuk salah satu persyaratan dasar."))
        elif req.pk not in with_doc:
            missing.append(gettext("Dokumen belum diunggah: %(req)s") % {"req": req.text})
    if case.status == CaseStatus.REVISION:
        review = latest_review(case)
        if review and review.outcome == DocumentReview.Outcome.RETURNED:
            fresh = set(current_documents(case).filter(uploaded_at__gt=review.reviewed_at)
                        .values_list("requirement_id", flat=True))
            for item in review.items_to_fix():
                if item.requirement.needs_upload and item.requirement_id not in fresh:
                    missing.append(gettext("Perbaikan diminta: unggah dokumen baru untuk “%(req)s”.")
                                   % {"req": item.requirement.text})
    answered = dict(SelfAssessmentAnswer.objects.filter(case=case).exclude(answer="")
                    .values_list("element_id", "answer"))
    for element in scheme_elements(case.scheme):
        if element.pk not in answered:
            missing.append(gettext("FR.APL.02: unit %(unit)s, elemen “%(element)s” belum dijawab K/BK.")
                           % {"unit": element.unit.code, "element": element.title})
    return missing


def submit_application(case, actor):
    """Candidate (S1.2): submits APL.01, APL.02 and the documents for review. Case: draft|revision →
    submitted, submitted_at set; all admins notified. Refused, naming every missing item, when incomplete."""
    with transition(case, "submit_application", actor) as c:
        missing = missing_items(c)
        if missing:
            raise WorkflowError(
                gettext("Permohonan belum lengkap (%(n)s hal): %(items)s") % {"n": len(missing), "items": "; ".join(missing)},
                field_errors={"__all__": missing})
        resubmitted = c.status == CaseStatus.REVISION
        c.submitted_at = timezone.now()
    title = lazy_text(_("Permohonan %(number)s diajukan ulang setelah perbaikan") if resubmitted
                      else _("Permohonan baru %(number)s menunggu kaji dokumen"), number=case.number)
    notify(admins(), title, body=lazy_text(_("%(name)s — %(scheme)s. Silakan kaji kelengkapan dokumennya."),
                                           name=case.candidate, scheme=case.scheme),
           url=case.get_absolute_url(),
           about=case, asks=("accept_application", "return_application", "reject_application"))
    return case


# --- S2.1 document review -------------------------------------------------------------------------------

OUTCOME_ACTS = {
    DocumentReview.Outcome.ACCEPTED: "accept_application",
    DocumentReview.Outcome.RETURNED: "return_application",
    DocumentReview.Outcome.NOT_ACCEPTED: "reject_application",
}


def review_documents(case, actor, *, items, outcome, note=""):
    """Admin (S2.1): records the check of every requirement (present / meets / comment) and the outcome,
    signed by the admin: accepted (→ accepted), returned for revision (→ revision; needs a note and at
    least one item absent or not meeting) or not accepted (→ not_accepted; needs a reason). Each review is
    a new DocumentReview record. The candidate is notified with the items to fix."""
    if outcome not in OUTCOME_ACTS:
        raise WorkflowError(gettext("Pilih hasil kaji dokumen."), field_errors={"outcome": [gettext("Pilih salah satu.")]})
    note = (note or "").strip()
    code = OUTCOME_ACTS[outcome]
    review = None
    with transition(case, code, actor, reason=note, data={}) as c:
        reqs = {r.pk: r for r in requirements_of(c.scheme)}
        given = {}
        for item in items:
            rid = int(item["requirement_id"])
            if rid not in reqs:
                raise WorkflowError(gettext("Persyaratan %(id)s bukan bagian dari skema ini.") % {"id": rid})
            given[rid] = item
        errors = {}
        absent = [pk for pk in reqs if pk not in given]
        if absent:
            raise WorkflowError(gettext("Setiap persyaratan harus diperiksa: %(reqs)s belum dinilai.")
                                % {"reqs": "; ".join(reqs[pk].text for pk in absent)})
        to_fix = fix_list(given, reqs, basic_are_alternatives(c.scheme))
        if outcome == DocumentReview.Outcome.RETURNED:
            if not note:
                errors["note"] = [gettext("Tuliskan catatan perbaikan untuk asesi.")]
            if not to_fix:
                errors["outcome"] = [gettext("Tandai minimal satu persyaratan yang tidak ada atau tidak memenuhi "
                                        "syarat — itulah yang harus diperbaiki asesi.")]
        if outcome == DocumentReview.Outcome.NOT_ACCEPTED and not note:
            errors["note"] = [gettext("Tuliskan alasan permohonan tidak diterima.")]
        if errors:
            raise WorkflowError(gettext("Kaji dokumen belum dapat disimpan. Periksa isian yang ditandai."),
                                field_errors=errors)
        review = DocumentReview.objects.create(case=c, reviewer=actor, outcome=outcome, note=note)
        DocumentReviewItem.objects.bulk_create([
            DocumentReviewItem(review=review, requirement_id=pk, present=bool(i.get("present")),
                               meets=bool(i.get("present")) and bool(i.get("meets")),
                               comment=(i.get("comment") or "").strip()[:500])
            for pk, i in given.items()])
    fix_lines = [f"• {reqs[pk].text}" + (f" — {given[pk].get('comment')}" if given[pk].get("comment") else "")
                 for pk in to_fix]
    if outcome == DocumentReview.Outcome.ACCEPTED:
        notify([case.candidate], lazy_text(_("Dokumen permohonan %(number)s diterima"), number=case.number),
               body=_("Permohonan Anda lengkap. Anda akan dihubungi untuk jadwal uji kompetensi."),
               url=case.get_absolute_url())
    elif outcome == DocumentReview.Outcome.RETURNED:
        body = format_lazy("{}\n{}\n\n{}", _("Perbaiki hal berikut lalu ajukan kembali:"), "\n".join(fix_lines), note)
        notify([case.candidate], lazy_text(_("Permohonan %(number)s dikembalikan untuk perbaikan"), number=case.number),
               body=body, url=case.get_absolute_url(), about=case, asks=("submit_application",))
    else:
        notify([case.candidate], lazy_text(_("Permohonan %(number)s tidak diterima"), number=case.number),
               body=note, url=case.get_absolute_url())
    return review


def latest_review(case):
    return (DocumentReview.objects.filter(case=case).select_related("reviewer")
            .prefetch_related("items__requirement").first())


# --- withdrawal ----------------------------------------------------------------------------------------


def withdraw(case, actor, *, reason):
    """Candidate: withdraws the application (from draft, submitted, revision, accepted or scheduled).
    Case → withdrawn, with the reason in the log; admins are told."""
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(gettext("Tuliskan alasan menarik permohonan."),
                            field_errors={"reason": [gettext("Wajib diisi.")]})
    with transition(case, "withdraw", actor, reason=reason) as c:
        was = c.status
    if was != CaseStatus.DRAFT:
        notify(admins(), lazy_text(_("Permohonan %(number)s ditarik oleh asesi"), number=case.number),
               body=reason, url=case.get_absolute_url())
    return case


# SOP stages of the progress stepper on the case page.
STAGES = [
    ("S1", _("Permohonan")),
    ("S2", _("Kelengkapan")),
    ("S3", _("Asesmen")),
    ("S4", _("Keputusan asesmen")),
    ("S5", _("Sertifikasi")),
]

_STATUS_STAGE = {
    CaseStatus.DRAFT: "S1", CaseStatus.REVISION: "S1", CaseStatus.WITHDRAWN: "S1",
    CaseStatus.SUBMITTED: "S2", CaseStatus.NOT_ACCEPTED: "S2", CaseStatus.ACCEPTED: "S2",
    CaseStatus.SCHEDULED: "S2", CaseStatus.CONFIRMED: "S2", CaseStatus.AGREED: "S2",
    CaseStatus.NOT_CONTINUED: "S2", CaseStatus.READY: "S3", CaseStatus.IN_ASSESSMENT: "S3",
    CaseStatus.ASSESSED: "S4", CaseStatus.REVIEWED: "S4", CaseStatus.REPORTED: "S4",
    CaseStatus.AWAITING_DECISION: "S5", CaseStatus.COMPETENT: "S5", CaseStatus.NOT_COMPETENT: "S5",
    CaseStatus.CERTIFIED: "S5", CaseStatus.SURVEILLANCE: "S5",
}


def stage_of(case):
    return _STATUS_STAGE.get(case.status, "S1")


def progress(case):
    """[(id, label, state)] with state done / current / todo for the stepper."""
    current = stage_of(case)
    ids = [s for s, _l in STAGES]
    idx = ids.index(current)
    return [(sid, label, "done" if i < idx else "current" if i == idx else "todo")
            for i, (sid, label) in enumerate(STAGES)]


assert {a.code for a in CASE_FLOW} >= set(OUTCOME_ACTS.values())
