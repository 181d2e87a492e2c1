"""S5 acts: decision (S5.1), holder agreement and certificate issue (S5.2), surveillance (S5.3)."""

import calendar
import datetime as dt
import hashlib
import re

from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.selectors import (
    assessment_record,
    assessment_report,
    assessor_recommendation,
)
from kompeten.assessment.services import retire_assessment
from kompeten.cases.selectors import application_of
from kompeten.cases.workflow import lock_in_order, transition
from kompeten.core.dates import format_date, format_date_lazy
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.notify import lazy_text, notify
from kompeten.core.sequences import next_number
from kompeten.core.versions import supersede, superseded_by_last

from . import credentials, rendering, selectors
from .models import (
    Certificate,
    Decision,
    HolderAgreement,
    Result,
    Surveillance,
    SurveillanceCheck,
    VerificationScan,
)
from .recertification import renewed_certificate

# What the holder reads and signs before the certificate is issued (S5.2). Kept as one text so the exact
# wording signed is stored with the agreement.
HOLDER_AGREEMENT_CLAUSES = [
    _("Sertifikat kompetensi hanya berlaku untuk skema sertifikasi dan unit kompetensi yang tercantum di "
      "dalamnya, selama masa berlakunya. Saya tidak akan menyatakan kompeten di luar ruang lingkup tersebut."),
    _("Saya hanya menggunakan sertifikat, nomor sertifikat dan logo LSP/BNSP untuk menunjukkan kompetensi "
      "saya sendiri, dan tidak menggunakannya dengan cara yang menyesatkan atau merugikan nama baik LSP "
      "maupun BNSP."),
    _("Saya tidak akan memalsukan, mengubah, meminjamkan, atau memperbanyak sertifikat untuk disalahgunakan "
      "oleh siapa pun."),
    _("LSP dapat membekukan sertifikat bila saya tidak memenuhi kewajiban surveilan, bila ada pengaduan yang "
      "terbukti tentang penyalahgunaan sertifikat, atau bila kompetensi saya diragukan; selama dibekukan, "
      "sertifikat tidak boleh digunakan."),
    _("LSP dapat mencabut sertifikat bila terbukti ada kecurangan dalam proses sertifikasi, pemalsuan "
      "dokumen, penyalahgunaan sertifikat, atau bila penyebab pembekuan tidak diperbaiki dalam waktu yang "
      "ditentukan. Sertifikat yang dicabut wajib dikembalikan dan tidak boleh digunakan lagi."),
    _("Selama masa berlaku, saya wajib mengikuti surveilan yang dijadwalkan LSP (antara lain melaporkan "
      "bukti bahwa saya tetap bekerja sesuai kompetensi) dan memberi tahu LSP bila ada perubahan yang "
      "memengaruhi kompetensi saya."),
    _("Status sertifikat (berlaku, dibekukan, dicabut, kedaluwarsa) dapat diperiksa siapa pun melalui halaman "
      "verifikasi publik; halaman itu tidak menampilkan NIK maupun alamat saya."),
]


def holder_agreement_text():
    return "\n".join(f"{i}. {c}" for i, c in enumerate(HOLDER_AGREEMENT_CLAUSES, start=1))


def case_url(case):
    """The case page, or the decision page while the case page is not there yet."""
    try:
        return case.get_absolute_url()
    except NoReverseMatch:
        return reverse("certification:decide", args=[case.pk])


# --- reading the assessor's recommendation (owned by the assessment app) ---------------------------


def case_file(case):
    """What the committee reads (S5.1): APL.01 data, the FR.AK.02 record and the FR.AK.05 report, each
    None when the owning app has not recorded it."""
    return {"application": application_of(case), "record": assessment_record(case),
            "report": assessment_report(case)}


# --- S5.1 decision ---------------------------------------------------------------------------------


def decide_competent(case, actor, *, reason="", meeting_ref=""):
    """Committee member who never assessed the case (S5.1): decides K. Refused unless the assessor
    recommended K for every unit. Stores a Decision; case: awaiting_decision → competent."""
    data = {}
    with transition(case, "decide_competent", actor, reason=reason, data=data) as c:
        recommendation = assessor_recommendation(c)
        if recommendation is None:
            raise WorkflowError(_("Rekomendasi asesor (FR.AK.02) belum tercatat, sehingga keputusan Kompeten "
                                  "belum dapat dibuat."))
        if recommendation != Result.K:
            raise WorkflowError(_("Asesor merekomendasikan Belum Kompeten (BK) untuk sedikitnya satu unit. "
                                  "Keputusan Kompeten hanya dapat dibuat bila semua unit dinyatakan K."),
                                field_errors={"decision": [_("Keputusan Kompeten tidak dapat dipilih karena "
                                                             "rekomendasi asesor BK.")]})
        decision = Decision.objects.create(case=c, supersedes=superseded_by_last(Decision, case=c),
                                           decided_by=actor, decision=Result.K,
                                           recommendation=recommendation,
                                           reason=reason or "", meeting_ref=(meeting_ref or "").strip())
        data.update(decision=Result.K, meeting_ref=meeting_ref or "")
    notify([case.candidate], _("Selamat, Anda dinyatakan Kompeten"),
           body=lazy_text(_("Komite memutuskan Anda Kompeten pada skema %(scheme)s. Langkah berikutnya: baca dan "
                            "tandatangani persetujuan penggunaan sertifikat, lalu LSP akan menerbitkan sertifikat "
                            "Anda."), scheme=case.scheme.title),
           url=reverse("certification:agreement", args=[case.pk]), about=case, asks=("sign_holder_agreement",))
    return decision


def decide_not_competent(case, actor, *, reason, meeting_ref=""):
    """Committee member who never assessed the case (S5.1): decides BK, with a reason (required).
    Stores a Decision; case: awaiting_decision → not_competent."""
    reason = (reason or "").strip()
    data = {}
    with transition(case, "decide_not_competent", actor, reason=reason, data=data) as c:
        if not reason:
            raise WorkflowError(_("Tuliskan alasan keputusan Belum Kompeten; asesi berhak mengetahuinya."),
                                field_errors={"reason": [_("Alasan wajib diisi untuk keputusan Belum "
                                                           "Kompeten.")]})
        decision = Decision.objects.create(case=c, supersedes=superseded_by_last(Decision, case=c),
                                           decided_by=actor, decision=Result.BK,
                                           recommendation=assessor_recommendation(c) or "", reason=reason,
                                           meeting_ref=(meeting_ref or "").strip())
        data.update(decision=Result.BK, meeting_ref=meeting_ref or "")
    notify([case.candidate], _("Keputusan sertifikasi: Belum Kompeten"),
           body=lazy_text(_("Komite memutuskan Anda Belum Kompeten pada skema %(scheme)s. Alasan: %(reason)s\n"
                            "Anda dapat mengajukan banding (FR.AK.04) bila tidak setuju, atau mengajukan asesmen ulang "
                            "setelah memperdalam unit yang belum kompeten."), scheme=case.scheme.title, reason=reason),
           url=case_url(case))
    return decision


# --- an upheld appeal reopens the case (the appeals app decides; these are the acts on the case) --------


def reopen_for_decision(case, actor, *, reason, ref=""):
    """The handler of an upheld appeal against the decision: the case goes back to the committee.
    The BK decision is kept, superseded; the next decision points at it. not_competent → awaiting_decision."""
    with transition(case, "reopen_for_decision", actor, reason=reason, data={"appeal": ref}) as c:
        if supersede(Decision, case=c) is None:
            raise WorkflowError(_("Permohonan ini belum memiliki keputusan yang dapat dibuka kembali."))
    notify(_users_with_roles(["committee"]), lazy_text(_("Banding dikabulkan: %(case)s menunggu keputusan baru"),
                                                       case=case.number),
           body=lazy_text(_("Banding %(ref)s atas keputusan permohonan %(case)s dikabulkan. Komite yang tidak "
                            "terlibat sebelumnya membuat keputusan baru."), ref=ref, case=case.number),
           url=case_url(case), about=case, asks=("decide_competent", "decide_not_competent"))


def reopen_for_assessment(case, actor, *, reason, ref=""):
    """The handler of an upheld appeal against the assessment: the candidate is assessed again. The FR.AK.02
    record, feedback, FR.AK.06, FR.AK.05 and any decision are kept, superseded; the new ones point at them.
    assessed/reviewed/reported/awaiting_decision/not_competent → in_assessment."""
    with transition(case, "reopen_for_assessment", actor, reason=reason, data={"appeal": ref}) as c:
        retired = retire_assessment(c, actor, reason)
        supersede(Decision, case=c)
        if not retired:
            raise WorkflowError(_("Permohonan ini belum memiliki rekaman asesmen yang dapat diulang."))
    assessor_user = case.assessor.user if case.assessor_id else None
    notify([assessor_user], lazy_text(_("Banding dikabulkan: asesmen ulang %(case)s"), case=case.number),
           body=lazy_text(_("Banding %(ref)s dikabulkan; catat rekaman asesmen (FR.AK.02) yang baru untuk %(name)s."),
                          ref=ref, name=case.candidate.display_name),
           url=case_url(case), about=case, asks=("record_assessment",))


# --- S5.2 agreement and certificate ----------------------------------------------------------------


def sign_holder_agreement(case, actor):
    """The candidate (S5.2): signs, once, the agreement on using the certificate. Creates a
    HolderAgreement; the case stays competent (the LSP then issues the certificate)."""
    with transition(case, "sign_holder_agreement", actor) as c:
        if HolderAgreement.objects.filter(case=c).exists():
            raise WorkflowError(_("Persetujuan penggunaan sertifikat sudah Anda tandatangani."))
        agreement = HolderAgreement.objects.create(case=c, signed_by=actor, text=holder_agreement_text())
    staff = _users_with_roles(["lsp_head", "admin"])
    notify(staff, _("Persetujuan penggunaan sertifikat ditandatangani — sertifikat siap diterbitkan"),
           body=lazy_text(_("%(name)s (%(case)s) telah menandatangani persetujuan penggunaan sertifikat."),
                          name=case.candidate.display_name, case=case.number),
           url=reverse("certification:issue", args=[case.pk]), about=case, asks=("issue_certificate",))
    return agreement


def _users_with_roles(roles):
    from kompeten.core.models import User

    return list(User.objects.filter(roles__role__in=roles, is_active=True).distinct())


def _initials(text):
    return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", text)).upper()


def scheme_abbreviation(scheme):
    """JWD for "Pengembang Web Pratama (Junior Web Developer)": the English name in brackets if any."""
    inner = re.search(r"\(([^)]+)\)", scheme.title)
    return _initials(inner.group(1) if inner else scheme.title)[:8] or "SKM"


def lsp_abbreviation():
    words = settings.LSP_NAME.split()
    if words and words[0].upper() == "LSP":
        words = words[1:]
    return "LSP-" + (_initials(" ".join(words)) or "X")


def certificate_number(scheme, year, n):
    return f"CERT/{lsp_abbreviation()}/{scheme_abbreviation(scheme)}/{year}/{n:05d}"


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=calendar.monthrange(day.year + years, day.month)[1])


def _new_certificate(c, actor):
    """Inside the act's transition (issue_certificate, issue_certificate_batch): the checks, the next number of the
    "certificate" sequence (never reused: taken in the act's transaction) and the row."""
    # The holder's signature is the act's precondition (panels.issue_blocker): transition() checks it.
    if Certificate.objects.filter(case=c).exists():
        raise WorkflowError(_("Sertifikat untuk permohonan ini sudah diterbitkan."))
    if actor.pk in selectors.deciders_of(c):
        raise WorkflowError(_("Anda ikut memutuskan permohonan ini; sertifikatnya harus diterbitkan oleh orang "
                              "lain (keputusan dan penerbitan tidak boleh oleh satu orang)."))
    today = timezone.localdate()
    n = next_number("certificate", today.year)
    return Certificate.objects.create(
        number=certificate_number(c.scheme, today.year, n), case=c, holder_name=c.candidate.display_name,
        scheme=c.scheme, issued_on=today, valid_until=add_years(today, c.scheme.validity_years),
        issued_by=actor, renews=renewed_certificate(c),
    )


def _tell_holder(case, cert):
    notify([case.candidate], _("Sertifikat kompetensi Anda telah terbit"),
           body=lazy_text(_("Nomor sertifikat %(number)s, berlaku sampai %(until)s. Unduh PDF-nya dari halaman "
                            "permohonan; LSP akan mendaftarkan Anda ke surveilan."),
                          number=cert.number, until=format_date_lazy(cert.valid_until)),
           url=case_url(case))


def issue_certificate(case, actor, *, renderer=None):
    """LSP head or admin (S5.2): issues the certificate, only after the holder signed the agreement (the
    precondition registered in apps.py, checked by transition()).
    Takes the next number of the "certificate" sequence (never reused); case: competent → certified. The signed
    credential is made in the same transaction; the signed PDF/A right after it (rendering.store_issued_pdf,
    outside the locks). `renderer`: a rendering.CertificateRenderer to reuse."""
    data = {}
    with transition(case, "issue_certificate", actor, data=data) as c:
        cert = _new_certificate(c, actor)
        credentials.issue_credential(cert)  # the same certificate as a signed Open Badges 3.0 credential
        data.update(certificate=cert.number)
    rendering.store_issued_pdf(cert, renderer=renderer)
    _tell_holder(case, cert)
    return cert


# A certificate's credential and PDF take well under a second; a worker still at one after this long is stuck.
MAKE_SECONDS = 300


class IssueFailed(Exception):
    """A certificate of a batch could not be made (its credential or PDF): the batch was rolled back."""

    def __init__(self, case, error):
        self.case, self.error = case, error
        super().__init__(str(_("%(case)s (%(name)s): sertifikat tidak dapat dibuat (%(error)s). Tidak ada sertifikat "
                               "dari kelompok ini yang diterbitkan dan tidak ada nomor yang terpakai; perbaiki "
                               "penyebabnya lalu terbitkan lagi.")
                             % {"case": case.number, "name": case.candidate.display_name,
                                "error": str(error) or error.__class__.__name__}))


def issue_certificate_batch(cases, actor, *, press):
    """LSP head or admin (S5.2), for a meeting's issue job: issue_certificate for each of `cases`, in one
    transaction. Each case is its own act through transition() (check, number, row, log; a case that cannot be
    issued is left as it was and reported, the others go on); its signed credential and signed PDF/A are made by
    `press` (issuing.JobPress: in worker processes while the next case is numbered) and stored before the commit.
    When one of them cannot be made, the whole batch is rolled back — no number used, no certificate without its
    credential and PDF — and IssueFailed is raised. The holders are told after the commit.
    Returns [(case, certificate or None, the error or None)] in the order of `cases`."""
    outcome, pending, written = [], [], []
    try:
        with transaction.atomic():
            # Every case's row first, in one order, then the number sequence: a single issue of one of these
            # cases at the same moment waits for this batch, or this batch for it, never each for the other.
            lock_in_order(cases)
            indices = iter(credentials.free_indices(len(cases)))
            press.refresh()
            for case in cases:
                data = {}
                try:
                    with transition(case, "issue_certificate", actor, data=data) as c:
                        cert = _new_certificate(c, actor)
                        index = next(indices)
                        future = press.submit(cert, index)
                        data.update(certificate=cert.number)
                except (WorkflowError, NotAllowed) as exc:
                    outcome.append((case, None, exc))
                    continue
                pending.append((case, cert, index, future))
                outcome.append((case, cert, None))
                _tell_holder(case, cert)
            made = []
            for case, cert, index, future in pending:
                try:
                    made.append((cert, index, future.result(timeout=MAKE_SECONDS)))
                except Exception as exc:  # its credential or PDF: nothing of this batch is issued
                    raise IssueFailed(case, exc) from exc
            credentials.store_signed([(cert, index, m["credential"]) for cert, index, m in made])
            rendering.store_made([(cert, m["pdf"], m["fingerprint"]) for cert, _, m in made], written)
    except BaseException:
        rendering.delete_files(written)
        raise
    return outcome


# --- S5.3 surveillance -----------------------------------------------------------------------------


def surveillance_schedule(certificate, first_due=None):
    """Yearly due dates within the validity period, starting at first_due (default: one year after issue)."""
    first = first_due or add_years(certificate.issued_on, 1)
    dates = []
    due = first
    while due <= certificate.valid_until and len(dates) < 20:
        dates.append(due)
        due = add_years(first, len(dates))
    return dates


def enrol_surveillance(case, actor, *, first_due=None):
    """Admin (S5.3): enrols the holder in surveillance with yearly checks within validity.
    Creates Surveillance + SurveillanceChecks; case: certified → surveillance."""
    data = {}
    with transition(case, "enrol_surveillance", actor, data=data) as c:
        cert = Certificate.objects.filter(case=c).first()
        if cert is None:
            raise WorkflowError(_("Permohonan ini belum memiliki sertifikat."))
        today = timezone.localdate()
        if first_due is not None and not (today < first_due <= cert.valid_until):
            raise WorkflowError(
                _("Tanggal surveilan pertama harus setelah hari ini dan paling lambat %(until)s.")
                % {"until": format_date(cert.valid_until)},
                field_errors={"first_due": [_("Pilih tanggal setelah hari ini dan dalam masa berlaku sertifikat "
                                              "(sampai %(until)s).") % {"until": format_date(cert.valid_until)}]})
        dates = surveillance_schedule(cert, first_due)
        if not dates:
            raise WorkflowError(_("Masa berlaku sertifikat terlalu pendek untuk jadwal surveilan."))
        surveillance = Surveillance.objects.create(certificate=cert, enrolled_by=actor)
        SurveillanceCheck.objects.bulk_create(
            SurveillanceCheck(surveillance=surveillance, order=i, due_on=d) for i, d in enumerate(dates, start=1))
        data.update(due=[d.isoformat() for d in dates])
    notify([case.candidate], _("Anda terdaftar dalam surveilan sertifikat"),
           body=lazy_text(_("Selama sertifikat berlaku, LSP memantau kompetensi Anda. Surveilan pertama jatuh tempo "
                            "%(due)s: siapkan bukti bahwa Anda tetap bekerja sesuai kompetensi."),
                          due=format_date_lazy(dates[0])),
           url=case_url(case), due=dates[0])
    return surveillance


# --- public verification ---------------------------------------------------------------------------


def record_scan(certificate, *, ip="", user_agent="", channel="html"):
    """Log one look at the public verification page; the IP is kept only as a salted hash."""
    ip_hash = hashlib.sha256(f"{settings.SECRET_KEY}:{ip}".encode()).hexdigest() if ip else ""
    return VerificationScan.objects.create(certificate=certificate, ip_hash=ip_hash,
                                           user_agent=(user_agent or "")[:300], channel=channel)


def due_soon_limit():
    return timezone.localdate() + dt.timedelta(days=30)
