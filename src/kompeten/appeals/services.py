"""Appeals (FR.AK.04) and complaints: every act checks who and what status, runs in one transaction, writes the
action log (on the appeal/complaint, and on the case for acts that change it) and notifies after the commit.

Deadlines come from settings: APPEAL_WINDOW_DAYS (days after the BK decision or recommendation within which a
candidate may appeal), GRIEVANCE_ACK_DAYS (acknowledge receipt), GRIEVANCE_RESOLVE_DAYS (decide);
COMPLAINT_RATE_LIMIT complaints per address per hour and COMPLAINT_MIN_SECONDS to fill the public form.
"""

import datetime as dt
import hashlib
import logging
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.selectors import assessment_record, assessor_recommendation
from kompeten.cases.services import sniff
from kompeten.cases.workflow import CaseStatus as S
from kompeten.cases.workflow import transition
from kompeten.certification import selectors as certification
from kompeten.certification import services as certification_services
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_date, format_date_lazy
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Notification, Role
from kompeten.core.notify import lazy_text, notify, settle_notices
from kompeten.core.sequences import next_number

from .models import Grievance, GrievanceDocument, GrievanceNote

log = logging.getLogger(__name__)
G = Grievance

# Who runs the process (receives, acknowledges, assigns) and who may be named a handler.
STAFF_ROLES = {Role.ADMIN, Role.LSP_HEAD}
HANDLER_ROLES = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.LEAD_ASSESSOR}

ACT_LABELS = {
    "lodge_complaint": _("Mengajukan pengaduan"),
    "acknowledge_grievance": _("Tanda terima dikirim kepada pengaju"),
    "assign_handler": _("Menugaskan penangan"),
    "add_grievance_note": _("Mencatat hasil penelusuran"),
    "add_grievance_document": _("Mengunggah dokumen penanganan"),
    "decide_grievance": _("Memutuskan banding/pengaduan"),
}
register_act_labels(ACT_LABELS)

# Statuses from which each kind of appeal may be lodged (the workflow table's lodge_appeal sources).
APPEAL_AGAINST_ASSESSMENT = {S.ASSESSED, S.REVIEWED, S.REPORTED, S.AWAITING_DECISION}

INVOLVEMENT = {
    "party": _("%(name)s adalah pihak dalam %(what)s ini (pengaju atau asesi yang bersangkutan), sehingga tidak "
               "boleh menanganinya."),
    "assessed": _("%(name)s pernah menjadi asesor pada permohonan %(case)s, sehingga tidak boleh menangani "
                  "%(what)s ini. Pilih orang yang tidak terlibat."),
    "reviewed": _("%(name)s meninjau proses asesmen (FR.AK.06) permohonan %(case)s, sehingga tidak boleh "
                  "menangani %(what)s ini. Pilih orang yang tidak terlibat."),
    "decided": _("%(name)s ikut memutuskan permohonan %(case)s sebagai komite, sehingga tidak boleh menangani "
                 "%(what)s ini. Pilih orang yang tidak terlibat."),
    "documents": _("%(name)s mengkaji dokumen permohonan %(case)s (S2.1), sehingga tidak boleh menangani "
                   "%(what)s ini. Pilih orang yang tidak terlibat."),
}


# --- deadlines -----------------------------------------------------------------------------------------


def _add_days(days):
    return timezone.localdate() + dt.timedelta(days=days)


@dataclass
class AppealWindow:
    open: bool
    why: object = ""  # why it is closed (a text for the candidate)
    against: str = ""  # G.About.ASSESSMENT / DECISION
    since: dt.date | None = None  # the day of the BK recommendation or decision
    deadline: dt.date | None = None  # last day to appeal
    existing: Grievance | None = None


def appeal_window(case):
    """May the candidate of `case` appeal now, against what, until when — or why not."""
    days = settings.APPEAL_WINDOW_DAYS
    if case.status == S.NOT_COMPETENT:
        decision = certification.current_decision(case)
        if decision is None:
            return AppealWindow(False, _("Keputusan sertifikasi belum tercatat."))
        against, since = G.About.DECISION, timezone.localtime(decision.decided_at)
    elif case.status in APPEAL_AGAINST_ASSESSMENT and assessor_recommendation(case) == "BK":
        record = assessment_record(case)
        against, since = G.About.ASSESSMENT, timezone.localtime(record.recorded_at)
    else:
        return AppealWindow(False, _("Banding hanya dapat diajukan atas rekomendasi asesor atau keputusan Belum "
                                     "Kompeten (BK) pada permohonan ini."))
    deadline = since.date() + dt.timedelta(days=days)
    earlier = case.grievances.filter(kind=G.Kind.APPEAL, received_at__gte=since).order_by("-received_at").first()
    if earlier is not None:
        why = (_("Banding Anda %(number)s sedang ditangani.") if earlier.is_open
               else _("Banding Anda %(number)s atas hasil ini sudah diputus."))
        return AppealWindow(False, lazy_text(why, number=earlier.number), against, since.date(), deadline, earlier)
    if timezone.localdate() > deadline:
        return AppealWindow(False, lazy_text(
            _("Batas waktu banding sudah lewat: banding dapat diajukan paling lambat %(date)s (%(days)s hari setelah "
              "%(what)s). Hubungi LSP bila ada alasan yang sah atas keterlambatan."),
            date=format_date_lazy(deadline), days=days,
            what=_("keputusan") if against == G.About.DECISION else _("rekomendasi asesor")),
            against, since.date(), deadline)
    return AppealWindow(True, "", against, since.date(), deadline)


def _number(kind, today):
    prefix = "BDG" if kind == G.Kind.APPEAL else "ADU"
    return f"{prefix}/{today.year}/{next_number(kind, today.year):04d}"


def _deadlines():
    return {"ack_due": _add_days(settings.GRIEVANCE_ACK_DAYS), "due_on": _add_days(settings.GRIEVANCE_RESOLVE_DAYS)}


def _users_with_roles(roles):
    return list(get_user_model().objects.filter(roles__role__in=roles, is_active=True).distinct())


def _what(g):
    return _("banding") if g.kind == G.Kind.APPEAL else _("pengaduan")


# --- telling the parties -------------------------------------------------------------------------------


def _tell_party(g, title, body):
    """The one who lodged it: their inbox when they have an account, otherwise an e-mail after the commit."""
    if g.lodged_by_id:
        notify([g.lodged_by], title, body=body, url=g.get_absolute_url())
        return
    email, lang = g.email, settings.LANGUAGE_CODE

    def send():
        with translation.override(lang):
            try:
                send_mail(str(title), f"{body}\n\n— {settings.LSP_NAME}", settings.DEFAULT_FROM_EMAIL, [email])
            except Exception:  # an unreachable mail server must not undo the act
                log.exception("could not e-mail the complainant of %s", g.number)

    transaction.on_commit(send)


def _tell_staff(g, title, body, asks=()):
    notify(_users_with_roles(STAFF_ROLES), title, body=body, url=g.get_absolute_url(), about=g, asks=asks)


# --- lodging -------------------------------------------------------------------------------------------


def lodge_appeal(case, actor, *, explained, discussed, involve_other, reasons, consent):
    """The candidate (FR.AK.04): appeals a BK recommendation or decision of their case within the LSP's deadline,
    answering the three questions, giving reasons and signing. Creates a received appeal with a number."""
    reasons = (reasons or "").strip()
    data = {}
    with transition(case, "lodge_appeal", actor, reason=reasons[:500], data=data) as c:
        window = appeal_window(c)
        if not window.open:
            raise WorkflowError(window.why)
        errors = {}
        for field, value in (("explained", explained), ("discussed", discussed), ("involve_other", involve_other)):
            if value is None:
                errors[field] = [_("Jawab Ya atau Tidak.")]
        if not reasons:
            errors["reasons"] = [_("Tuliskan alasan banding Anda.")]
        if not consent:
            errors["consent"] = [_("Centang pernyataan ini untuk menandatangani FR.AK.04.")]
        if errors:
            raise WorkflowError(_("Lengkapi FR.AK.04: jawab ketiga pertanyaan, tuliskan alasan dan tandatangani."),
                                field_errors=errors)
        now = timezone.now()
        g = Grievance.objects.create(
            number=_number(G.Kind.APPEAL, timezone.localdate()), kind=G.Kind.APPEAL, about=window.against, case=c,
            lodged_by=actor, name=actor.display_name, email=actor.email, phone=actor.phone or "",
            subject=str(G.About(window.against).label), reasons=reasons, q_explained=explained,
            q_discussed=discussed, q_involve_other=involve_other, signed_at=now, received_at=now, **_deadlines())
        data.update(appeal=g.number, against=window.against)
        log_action(actor, "lodge_appeal", g, reason=reasons[:500], data={"case": c.number},
                   status_after=g.status)
    _tell_party(g, lazy_text(_("Banding %(number)s diterima"), number=g.number),
                lazy_text(_("Banding Anda atas permohonan %(case)s tercatat dengan nomor %(number)s. LSP mengirim "
                            "tanda terima paling lambat %(ack)s dan memutuskan paling lambat %(due)s, oleh orang yang "
                            "tidak terlibat dalam asesmen maupun keputusan Anda."),
                          case=case.number, number=g.number, ack=format_date_lazy(g.ack_due),
                          due=format_date_lazy(g.due_on)))
    _tell_staff(g, lazy_text(_("Banding baru %(number)s — tetapkan penangan"), number=g.number),
                lazy_text(_("%(name)s mengajukan banding atas permohonan %(case)s. Kirim tanda terima paling lambat "
                            "%(ack)s dan tugaskan penangan yang tidak terlibat."),
                          name=actor.display_name, case=case.number, ack=format_date_lazy(g.ack_due)),
                asks=("assign_handler",))
    return g


def address_hash(ip):
    return hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest() if ip else ""


def lodge_complaint(actor, *, about, reasons, subject="", name="", email="", phone="", certificate_number="",
                    ip="", elapsed=None, trap=""):
    """Anyone (an account or a visitor of the public form): lodges a complaint about the LSP's work or about a
    certificate holder, optionally naming a certificate number. Spam guard: the hidden field must stay empty,
    the form must take at least COMPLAINT_MIN_SECONDS to fill, and one address lodges at most
    COMPLAINT_RATE_LIMIT complaints an hour. Creates a received complaint with a number."""
    if trap or elapsed is None or elapsed < settings.COMPLAINT_MIN_SECONDS:
        raise WorkflowError(_("Pengaduan tidak dapat dikirim: formulir terisi terlalu cepat atau tidak wajar. "
                              "Tunggu sebentar, periksa isian, lalu kirim lagi."))
    account = actor if getattr(actor, "is_authenticated", False) else None
    if account is not None:
        name, email, phone = account.display_name, account.email, phone or account.phone or ""
    name, email, reasons, subject = (name or "").strip(), (email or "").strip(), (reasons or "").strip(), \
        (subject or "").strip()
    errors = {}
    if about not in (G.About.LSP, G.About.HOLDER):
        errors["about"] = [_("Pilih tentang apa pengaduan ini.")]
    if not name:
        errors["name"] = [_("Tuliskan nama Anda.")]
    if not email:
        errors["email"] = [_("Tuliskan email Anda; hasil penanganan dikirim ke sana.")]
    if not reasons:
        errors["reasons"] = [_("Uraikan pengaduan Anda.")]
    cert = certification.certificate_by_number(certificate_number)
    if certificate_number.strip() and cert is None:
        errors["certificate_number"] = [_("Sertifikat dengan nomor ini tidak ditemukan. Periksa penulisan nomor "
                                          "atau kosongkan isian ini.")]
    if about == G.About.HOLDER and not certificate_number.strip() and "certificate_number" not in errors:
        errors["certificate_number"] = [_("Untuk pengaduan tentang pemegang sertifikat, tuliskan nomor "
                                          "sertifikatnya.")]
    if errors:
        raise WorkflowError(_("Periksa kembali isian yang ditandai."), field_errors=errors)
    ip_hash = address_hash(ip)
    with transaction.atomic():
        if ip_hash:
            since = timezone.now() - dt.timedelta(hours=1)
            recent = Grievance.objects.filter(kind=G.Kind.COMPLAINT, ip_hash=ip_hash, received_at__gte=since).count()
            if recent >= settings.COMPLAINT_RATE_LIMIT:
                raise WorkflowError(_("Terlalu banyak pengaduan dari alamat ini dalam satu jam terakhir. Coba lagi "
                                      "nanti, atau hubungi LSP melalui telepon."))
        g = Grievance.objects.create(
            number=_number(G.Kind.COMPLAINT, timezone.localdate()), kind=G.Kind.COMPLAINT, about=about,
            case=cert.case if cert else None, certificate_number=cert.number if cert else "",
            lodged_by=account, name=name[:200], email=email, phone=(phone or "")[:30], subject=subject[:200],
            reasons=reasons, ip_hash=ip_hash, **_deadlines())
        log_action(account, "lodge_complaint", g, reason=subject, status_after=g.status,
                   data={"certificate": g.certificate_number})
    _tell_party(g, lazy_text(_("Pengaduan %(number)s diterima"), number=g.number),
                lazy_text(_("Pengaduan Anda tercatat dengan nomor %(number)s. LSP mengirim tanda terima paling "
                            "lambat %(ack)s dan menyampaikan hasil penanganan paling lambat %(due)s."),
                          number=g.number, ack=format_date_lazy(g.ack_due), due=format_date_lazy(g.due_on)))
    _tell_staff(g, lazy_text(_("Pengaduan baru %(number)s — tetapkan penangan"), number=g.number),
                lazy_text(_("Pengaduan dari %(name)s: %(subject)s. Kirim tanda terima paling lambat %(ack)s."),
                          name=name, subject=subject or str(G.About(about).label), ack=format_date_lazy(g.ack_due)),
                asks=("assign_handler",))
    return g


# --- handling ------------------------------------------------------------------------------------------


@contextmanager
def _act(g, code, actor, *, statuses, reason="", data=None):
    """Lock the appeal/complaint, check its status, let the service change it, save and log the act."""
    data = {} if data is None else data
    with transaction.atomic():
        locked = Grievance.objects.select_for_update().get(pk=g.pk)
        if locked.status not in statuses:
            raise WorkflowError(lazy_text(_("“%(act)s” tidak dapat dilakukan karena status saat ini “%(status)s”."),
                                          act=ACT_LABELS[code], status=locked.get_status_display()))
        before = locked.status
        yield locked
        locked.save()
        log_action(actor, code, locked, reason=reason, data=data, status_before=before, status_after=locked.status)
        settle_notices(locked, code, actor,
                       still_possible=None if locked.status in G.OPEN else ())
    g.refresh_from_db()


def is_staff(user):
    return bool(getattr(user, "is_authenticated", False) and user.role_set() & STAFF_ROLES)


def _require_staff(actor):
    if not is_staff(actor):
        raise NotAllowed(_("Hanya admin LSP atau Ketua LSP yang dapat melakukan ini."))


def _require_handler(g, actor):
    if g.handler_id is None or g.handler_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Hanya penangan yang ditugaskan yang dapat melakukan ini."))


def acknowledge(g, actor):
    """Admin, LSP head or the handler: sends the acknowledgement of receipt (once), before ack_due."""
    if not is_staff(actor) and g.handler_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Hanya admin LSP, Ketua LSP atau penangan yang dapat mengirim tanda terima."))
    with _act(g, "acknowledge_grievance", actor, statuses=G.OPEN) as locked:
        if locked.acknowledged_at:
            raise WorkflowError(_("Tanda terima sudah dikirim."))
        locked.acknowledged_at, locked.acknowledged_by = timezone.now(), actor
    _tell_party(g, lazy_text(_("Tanda terima %(what)s %(number)s"), what=_what(g), number=g.number),
                lazy_text(_("%(lsp)s telah menerima %(what)s Anda nomor %(number)s dan sedang memprosesnya. Hasilnya "
                            "kami sampaikan paling lambat %(due)s."),
                          lsp=settings.LSP_NAME, what=_what(g), number=g.number, due=format_date_lazy(g.due_on)))
    return g


def eligible_handlers():
    """People who may be named handler (before the independence check on the particular case)."""
    return (get_user_model().objects.filter(roles__role__in=HANDLER_ROLES, is_active=True).distinct()
            .order_by("first_name", "last_name", "pk"))


def involvement(g, user):
    """The first reason `user` may not handle `g` (a text), or None when they are independent of it."""
    params = {"name": user.display_name, "what": _what(g), "case": g.case.number if g.case_id else ""}
    if g.lodged_by_id == user.pk or (g.case_id and g.case.candidate_id == user.pk):
        return lazy_text(INVOLVEMENT["party"], **params)
    if g.case_id:
        involved = certification.people_involved(g.case)
        for kind in ("assessed", "reviewed", "decided", "documents"):
            if user.pk in involved.get(kind, ()):
                return lazy_text(INVOLVEMENT[kind], **params)
    return None


def assign_handler(g, actor, handler):
    """Admin or LSP head: names the handler, who must hold a staff role and must not have been involved in the
    case (assessed it, reviewed it in FR.AK.06, decided it, reviewed its documents) nor be a party.
    received/investigating → investigating; may name another handler while it is open."""
    _require_staff(actor)
    if handler is None or not (handler.is_active and handler.role_set() & HANDLER_ROLES):
        raise WorkflowError(_("Penangan harus admin LSP, Ketua LSP, anggota komite atau lead asesor yang aktif."),
                            field_errors={"handler": [_("Pilih penangan dari daftar.")]})
    why = involvement(g, handler)
    if why:
        raise WorkflowError(why, field_errors={"handler": [why]})
    previous = g.handler_id
    with _act(g, "assign_handler", actor, statuses=G.OPEN, data={"handler_id": handler.pk,
                                                                   "handler": handler.display_name}) as locked:
        if locked.handler_id == handler.pk:
            raise WorkflowError(_("Orang ini sudah menjadi penangan."))
        locked.handler, locked.assigned_at, locked.status = handler, timezone.now(), G.Status.INVESTIGATING
    if previous:  # the former handler is no longer asked to decide
        Notification.objects.filter(recipient_id=previous, subject_id=g.pk, done_at__isnull=True,
                                    subject_type__model="grievance").update(done_at=timezone.now())
    notify([handler], lazy_text(_("Anda menangani %(what)s %(number)s"), what=_what(g), number=g.number),
           body=lazy_text(_("Telusuri, catat temuan dan dokumen, lalu putuskan dengan alasan paling lambat %(due)s."),
                          due=format_date_lazy(g.due_on)),
           url=g.get_absolute_url(), due=g.due_on, about=g, asks=("decide_grievance",), by_recipient=True)
    return g


def add_note(g, actor, text):
    """The handler: records what the investigation found (internal)."""
    _require_handler(g, actor)
    text = (text or "").strip()
    if not text:
        raise WorkflowError(_("Tuliskan catatan."), field_errors={"text": [_("Wajib diisi.")]})
    with _act(g, "add_grievance_note", actor, statuses=(G.Status.INVESTIGATING,)) as locked:
        note = GrievanceNote.objects.create(grievance=locked, author=actor, text=text)
    return note


def add_document(g, actor, *, file, title=""):
    """The handler: uploads a document of the investigation (PDF, JPEG or PNG by content, at most
    UPLOAD_MAX_BYTES), stored privately with its sha256."""
    _require_handler(g, actor)
    limit = settings.UPLOAD_MAX_BYTES
    size = getattr(file, "size", 0) or 0
    if size > limit:
        msg = lazy_text(_("Ukuran maksimal %(max)s MB."), max=f"{limit / 1048576:g}")
        raise WorkflowError(msg, field_errors={"file": [msg]})
    if size == 0:
        raise WorkflowError(_("Berkas kosong."), field_errors={"file": [_("Berkas kosong.")]})
    file.seek(0)
    content_type, _ext = sniff(file.read(16))
    if not content_type:
        msg = _("Jenis berkas tidak diterima. Unggah PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya).")
        raise WorkflowError(msg, field_errors={"file": [msg]})
    file.seek(0)
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    name = (getattr(file, "name", "") or "berkas")[:255]
    with _act(g, "add_grievance_document", actor, statuses=(G.Status.INVESTIGATING,),
              data={"name": name}) as locked:
        doc = GrievanceDocument(grievance=locked, title=(title or "").strip()[:200], original_name=name,
                                content_type=content_type, size=size, sha256=digest.hexdigest(), uploaded_by=actor)
        doc.file.save(name, file, save=False)
        doc.save()
    return doc


def decide(g, actor, *, upheld, reasons, reopen=""):
    """The handler: decides with reasons. An upheld appeal reopens the case by an act of the workflow table:
    `reopen="assessment"` (a new assessment: the fault was in the assessment) or `"decision"` (the committee
    decides again). investigating → upheld / rejected; the parties are told."""
    _require_handler(g, actor)
    reasons = (reasons or "").strip()
    if not reasons:
        raise WorkflowError(_("Tuliskan alasan keputusan; para pihak berhak mengetahuinya."),
                            field_errors={"reasons": [_("Wajib diisi.")]})
    reopen = (reopen or "") if upheld and g.kind == G.Kind.APPEAL else ""
    if upheld and g.kind == G.Kind.APPEAL and reopen not in (G.Reopen.ASSESSMENT, G.Reopen.DECISION):
        raise WorkflowError(_("Banding yang dikabulkan membuka kembali permohonan: pilih asesmen ulang atau keputusan "
                              "baru."), field_errors={"reopen": [_("Pilih tindak lanjutnya.")]})
    with _act(g, "decide_grievance", actor, statuses=(G.Status.INVESTIGATING,), reason=reasons,
              data={"upheld": bool(upheld), "reopen": reopen}) as locked:
        locked.status = G.Status.UPHELD if upheld else G.Status.REJECTED
        locked.decided_at, locked.decided_by, locked.outcome_reasons, locked.reopen = \
            timezone.now(), actor, reasons, reopen
        if reopen == G.Reopen.ASSESSMENT:
            certification_services.reopen_for_assessment(locked.case, actor, reason=reasons, ref=locked.number)
        elif reopen == G.Reopen.DECISION:
            certification_services.reopen_for_decision(locked.case, actor, reason=reasons, ref=locked.number)
    outcome = _("dikabulkan") if upheld else _("ditolak")
    follow = {G.Reopen.ASSESSMENT: _("Anda akan diases ulang; LSP menghubungi Anda tentang jadwalnya."),
              G.Reopen.DECISION: _("Komite teknis akan membuat keputusan baru atas permohonan Anda.")}.get(reopen, "")
    _tell_party(g, lazy_text(_("%(what)s %(number)s %(outcome)s"), what=_what(g), number=g.number, outcome=outcome),
                lazy_text(_("Hasil penanganan %(what)s %(number)s: %(outcome)s.\nAlasan: %(reasons)s\n%(follow)s"),
                          what=_what(g), number=g.number, outcome=outcome, reasons=reasons, follow=follow))
    _tell_staff(g, lazy_text(_("%(what)s %(number)s diputuskan: %(outcome)s"), what=_what(g), number=g.number,
                             outcome=outcome), reasons)
    return g


def overdue_text(g):
    """A short reason the item stands out in lists, or ""."""
    if g.ack_overdue:
        return lazy_text(_("Tanda terima terlambat (batas %(date)s)"), date=format_date(g.ack_due))
    if g.is_overdue:
        return lazy_text(_("Melewati batas penyelesaian (%(date)s)"), date=format_date(g.due_on))
    return ""
