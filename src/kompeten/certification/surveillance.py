"""S5.3 surveillance after enrolment: the holder's evidence, the result, and the proposal to suspend.

Each act locks the check, checks who may do it and from which status, changes the check and writes one
ActionLog entry on the holder's case (so the case's history tells the whole story). Suspension itself is the
certificate's own act (not here): an unsatisfactory or missed check is *proposed* for suspension with a reason
(status SUSPENSION_PROPOSED); `awaiting_suspension()` lists those, and the suspension act calls
`settle_suspension_proposals(certificate, ...)` when it has decided. The decision *not* to suspend is its own
act here (`keep_certificate`): the same people who may suspend keep the certificate valid with a reason, and may
schedule a follow-up check with a due date (status KEPT).
"""

import datetime as dt
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.cases.workflow import ACTS as ACTS_FLOW
from kompeten.cases.workflow import roles_for
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_date_lazy
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.notify import lazy_text, notify
from kompeten.core.uploads import file_type
from kompeten.people.selectors import assessor_of

from .models import Certificate, SurveillanceCheck, SurveillanceEvidence

C = SurveillanceCheck.Status
MAX_FILES = 5
# The statuses in which the check still waits for something (the holder, an assessor, a decision).
OPEN = (C.DUE, C.SUBMITTED, C.UNSATISFACTORY, C.SUSPENSION_PROPOSED)

ACT_LABELS = {
    "submit_surveillance_evidence": _("Bukti surveilan dikirim"),
    "record_surveillance_result": _("Hasil surveilan dicatat"),
    "propose_suspension": _("Pembekuan sertifikat diusulkan (surveilan)"),
    "settle_suspension_proposal": _("Usulan pembekuan telah diputuskan"),
    "keep_certificate": _("Sertifikat tidak dibekukan (tetap berlaku)"),
}
register_act_labels(ACT_LABELS)


def holder_of(chk):
    return chk.surveillance.certificate.case.candidate


def is_holder(user, chk):
    return getattr(user, "is_authenticated", False) and holder_of(chk).pk == user.pk


def may_assess(user, chk):
    """Admin LSP, Ketua LSP, or an active assessor registered for the certificate's scheme."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role_set() & {Role.ADMIN, Role.LSP_HEAD}:
        return True
    if Role.ASSESSOR not in user.role_set():
        return False
    a = assessor_of(user)
    return bool(a and a.is_active and a.schemes.filter(pk=chk.surveillance.certificate.scheme_id).exists())


def may_view(user, chk):
    return is_holder(user, chk) or may_assess(user, chk) or bool(
        getattr(user, "is_authenticated", False) and Role.COMMITTEE in user.role_set())


def is_overdue(chk, today=None):
    return chk.status == C.DUE and chk.due_on < (today or timezone.localdate())


def _case_url(chk):
    return chk.surveillance.certificate.case.get_absolute_url()


def check_url(chk):
    return reverse("certification:surveillance_check", args=[chk.pk])


def _locked(chk):
    return (SurveillanceCheck.objects.select_for_update()
            .select_related("surveillance__certificate__case__candidate", "surveillance__certificate__scheme")
            .get(pk=chk.pk))


def _refuse_status(locked, code):
    raise WorkflowError(lazy_text(_("“%(act)s” tidak dapat dilakukan karena status pemeriksaan saat ini “%(status)s”."),
                                  act=ACT_LABELS[code], status=locked.get_status_display()))


def _log(actor, code, locked, before, *, reason="", data=None):
    case = locked.surveillance.certificate.case
    log_action(actor, code, case, reason=reason, data={"check": locked.pk, "order": locked.order, **(data or {})},
               status_before=before, status_after=locked.status)


def _staff_to_tell(scheme_id=None):
    from kompeten.core.models import User

    return list(User.objects.filter(roles__role=Role.ADMIN, is_active=True).distinct())


# --- the holder -------------------------------------------------------------------------------------------


def _checked_files(files):
    """[(name, bytes, content_type, sha256)] for each upload, or WorkflowError naming the bad one."""
    out = []
    limit = settings.UPLOAD_MAX_BYTES
    files = [f for f in (files or []) if f]
    if len(files) > MAX_FILES:
        msg = lazy_text(_("Paling banyak %(n)s berkas sekali kirim."), n=MAX_FILES)
        raise WorkflowError(msg, field_errors={"files": [msg]})
    for f in files:
        name = (getattr(f, "name", "") or "berkas").rsplit("/", 1)[-1][:255]
        f.seek(0)
        data = f.read()
        if len(data) > limit:
            msg = lazy_text(_("%(name)s terlalu besar. Ukuran maksimal %(max)s MB."), name=name,
                            max=f"{limit / 1048576:g}")
            raise WorkflowError(msg, field_errors={"files": [msg]})
        content_type, _ext = file_type(data) if data else (None, None)
        if not content_type:
            msg = lazy_text(_("%(name)s tidak diterima. Unggah PDF, JPG atau PNG (isi berkas diperiksa, bukan "
                              "namanya)."), name=name)
            raise WorkflowError(msg, field_errors={"files": [msg]})
        out.append((name, data, content_type, hashlib.sha256(data).hexdigest()))
    return out


def submit_evidence(chk, actor, *, logbook, employer_statement="", files=()):
    """The holder (S5.3): sends evidence that they still work to the standard — a logbook (required), an
    employer's statement and up to five files (PDF/JPG/PNG by content). Allowed while the check waits for
    evidence or for its result (more may be added); due/submitted → submitted."""
    logbook = (logbook or "").strip()
    employer_statement = (employer_statement or "").strip()
    if not logbook:
        msg = _("Tuliskan catatan kerja (logbook): pekerjaan yang Anda lakukan sesuai kompetensi sejak sertifikat "
                "terbit.")
        raise WorkflowError(msg, field_errors={"logbook": [msg]})
    uploads = _checked_files(files)
    with transaction.atomic():
        locked = _locked(chk)
        if not is_holder(actor, locked):
            raise NotAllowed(_("Bukti surveilan hanya dapat dikirim oleh pemegang sertifikatnya."))
        if locked.status not in (C.DUE, C.SUBMITTED):
            _refuse_status(locked, "submit_surveillance_evidence")
        cert = locked.surveillance.certificate
        if cert.current_status != Certificate.Status.ACTIVE:
            raise WorkflowError(lazy_text(_("Sertifikat berstatus “%(status)s”; bukti surveilan tidak dapat dikirim."),
                                          status=cert.current_status_label))
        before = locked.status
        locked.logbook, locked.employer_statement = logbook, employer_statement
        locked.submitted_at = timezone.now()
        locked.status = C.SUBMITTED
        locked.save()
        for name, data, content_type, digest in uploads:
            ev = SurveillanceEvidence(surveillance_check=locked, original_name=name, content_type=content_type,
                                      size=len(data), sha256=digest, uploaded_by=actor)
            ev.file.save("bukti", ContentFile(data), save=False)
            ev.save()
        _log(actor, "submit_surveillance_evidence", locked, before, data={"files": len(uploads)})
    notify(_staff_to_tell(), lazy_text(_("Bukti surveilan %(name)s menunggu penilaian"), name=cert.holder_name),
           body=lazy_text(_("Surveilan ke-%(n)s sertifikat %(number)s: nilai buktinya (memenuhi / tidak memenuhi)."),
                          n=locked.order, number=cert.number), url=check_url(locked))
    chk.refresh_from_db()
    return chk


# --- the assessor or admin ----------------------------------------------------------------------------------


def record_result(chk, actor, *, satisfactory, notes=""):
    """An assessor of the scheme, the admin or the LSP head: records the result of a check whose evidence
    was sent. Notes are required for an unsatisfactory result (the holder is told why).
    submitted → satisfactory | unsatisfactory."""
    notes = (notes or "").strip()
    if not satisfactory and not notes:
        msg = _("Tuliskan catatan: apa yang tidak memenuhi. Pemegang sertifikat berhak mengetahuinya.")
        raise WorkflowError(msg, field_errors={"notes": [msg]})
    with transaction.atomic():
        locked = _locked(chk)
        if not may_assess(actor, locked):
            raise NotAllowed(_("Hasil surveilan hanya dapat dicatat oleh asesor skema ini, admin LSP atau Ketua LSP."))
        if locked.status != C.SUBMITTED:
            _refuse_status(locked, "record_surveillance_result")
        before = locked.status
        locked.status = C.SATISFACTORY if satisfactory else C.UNSATISFACTORY
        locked.notes = notes
        locked.recorded_by, locked.recorded_at = actor, timezone.now()
        locked.done_on = timezone.localdate()
        locked.save()
        _log(actor, "record_surveillance_result", locked, before, reason=notes,
             data={"result": locked.status})
    holder = holder_of(locked)
    if satisfactory:
        notify([holder], _("Surveilan Anda memenuhi"),
               body=lazy_text(_("Surveilan ke-%(n)s dinilai memenuhi. Sertifikat Anda tetap berlaku."), n=locked.order),
               url=check_url(locked))
    else:
        notify([holder], _("Surveilan Anda tidak memenuhi"),
               body=lazy_text(_("Surveilan ke-%(n)s dinilai tidak memenuhi: %(notes)s\nLSP akan memutuskan tindak "
                                "lanjutnya, termasuk kemungkinan pembekuan sertifikat."), n=locked.order, notes=notes),
               url=check_url(locked))
    chk.refresh_from_db()
    return chk


def propose_suspension(chk, actor, *, reason):
    """An assessor of the scheme, the admin or the LSP head: proposes suspending the certificate because the
    check was unsatisfactory or missed (due date passed with no evidence). The reason is required.
    unsatisfactory | due (overdue) → suspension_proposed. The suspension act decides (not here)."""
    reason = (reason or "").strip()
    if not reason:
        msg = _("Tuliskan alasan usulan pembekuan.")
        raise WorkflowError(msg, field_errors={"reason": [msg]})
    with transaction.atomic():
        locked = _locked(chk)
        if not may_assess(actor, locked):
            raise NotAllowed(_("Pembekuan hanya dapat diusulkan oleh asesor skema ini, admin LSP atau Ketua LSP."))
        missed = is_overdue(locked)
        if locked.status != C.UNSATISFACTORY and not missed:
            if locked.status == C.DUE:
                raise WorkflowError(lazy_text(_("Surveilan ini belum terlewat (jatuh tempo %(due)s); pembekuan hanya "
                                                "dapat diusulkan untuk surveilan yang tidak memenuhi atau terlewat."),
                                              due=format_date_lazy(locked.due_on)))
            _refuse_status(locked, "propose_suspension")
        before = locked.status
        locked.status = C.SUSPENSION_PROPOSED
        locked.suspension_reason = reason
        locked.proposed_by, locked.proposed_at = actor, timezone.now()
        if missed and not locked.done_on:
            locked.notes = locked.notes or str(_("Surveilan terlewat: tidak ada bukti sampai jatuh tempo."))
        locked.save()
        _log(actor, "propose_suspension", locked, before, reason=reason, data={"missed": missed})
    deciders = _users_with({Role.LSP_HEAD, Role.ADMIN})
    cert = locked.surveillance.certificate
    notify(deciders, lazy_text(_("Usulan pembekuan sertifikat %(number)s"), number=cert.number),
           body=lazy_text(_("%(name)s, surveilan ke-%(n)s: %(reason)s"), name=cert.holder_name, n=locked.order,
                          reason=reason),
           url=reverse("certification:surveillance_checks") + "?state=proposed")
    chk.refresh_from_db()
    return chk


def _users_with(roles):
    from kompeten.core.models import User

    return list(User.objects.filter(roles__role__in=list(roles), is_active=True).distinct())


def settle_suspension_proposals(certificate, actor, *, note=""):
    """The hook for the suspension act: once the certificate's suspension has been decided (suspended or not),
    its checks proposed for suspension leave the waiting list. Returns how many were settled."""
    n = 0
    with transaction.atomic():
        for locked in (SurveillanceCheck.objects.select_for_update()
                       .select_related("surveillance__certificate__case")
                       .filter(surveillance__certificate=certificate, status=C.SUSPENSION_PROPOSED)):
            before = locked.status
            locked.status = C.SUSPENSION_DECIDED
            locked.save(update_fields=["status"])
            _log(actor, "settle_suspension_proposal", locked, before, reason=note)
            n += 1
    return n


def may_decide(user, chk):
    """Who decides on a suspension proposal — to suspend or not: the same roles as the certificate's
    suspension act (cases.workflow: Admin LSP, Ketua LSP)."""
    return bool(roles_for(user, chk.surveillance.certificate.case) & ACTS_FLOW["suspend_certificate"].roles)


def keep_certificate(chk, actor, *, reason, follow_up_on=None, today=None):
    """Admin LSP / Ketua LSP: decides NOT to suspend the certificate a check was proposed for (e.g. the holder
    delivered the missing evidence late), with a reason (required, told to the holder). Optionally schedules a
    follow-up check due on `follow_up_on` (after today, within the certificate's validity).
    suspension_proposed → kept; the certificate stays active. Returns the check."""
    reason = (reason or "").strip()
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _locked(chk)
        if not may_decide(actor, locked):
            raise NotAllowed(_("Keputusan atas usulan pembekuan hanya dapat diambil oleh Admin LSP atau Ketua LSP."))
        if locked.status != C.SUSPENSION_PROPOSED:
            raise WorkflowError(lazy_text(_("Tidak ada usulan pembekuan yang menunggu keputusan pada surveilan ini "
                                            "(status saat ini “%(status)s”)."), status=locked.get_status_display()))
        cert = locked.surveillance.certificate
        if cert.current_status != Certificate.Status.ACTIVE:
            raise WorkflowError(lazy_text(_("Sertifikat berstatus “%(status)s”; tidak dapat dinyatakan tetap "
                                            "berlaku."), status=cert.current_status_label))
        if not reason:
            msg = _("Tuliskan alasan sertifikat tidak dibekukan; alasan dicatat dan disampaikan kepada pemegang.")
            raise WorkflowError(msg, field_errors={"reason": [msg]})
        if follow_up_on is not None and not (today < follow_up_on <= cert.valid_until):
            msg = lazy_text(_("Tanggal surveilan lanjutan harus setelah hari ini dan paling lambat %(until)s (masa "
                              "berlaku sertifikat)."), until=format_date_lazy(cert.valid_until))
            raise WorkflowError(msg, field_errors={"follow_up_on": [msg]})
        before = locked.status
        locked.status = C.KEPT
        locked.decision_reason = reason
        locked.decided_by, locked.decided_at = actor, timezone.now()
        locked.save()
        follow_up = None
        if follow_up_on is not None:
            last = locked.surveillance.checks.order_by("-order").values_list("order", flat=True).first() or 0
            follow_up = SurveillanceCheck.objects.create(surveillance=locked.surveillance, order=last + 1,
                                                         due_on=follow_up_on, follow_up_of=locked)
        _log(actor, "keep_certificate", locked, before, reason=reason,
             data={"certificate": cert.number,
                   **({"follow_up_check": follow_up.pk, "follow_up_on": follow_up_on.isoformat()}
                      if follow_up else {})})
    holder = holder_of(locked)
    if follow_up:
        body = lazy_text(_("Surveilan ke-%(n)s: sertifikat %(number)s tidak dibekukan dan tetap berlaku. Alasan: "
                           "%(reason)s\nKirim bukti surveilan lanjutan (ke-%(m)s) paling lambat %(due)s."),
                         n=locked.order, number=cert.number, reason=reason, m=follow_up.order,
                         due=format_date_lazy(follow_up.due_on))
        notify([holder], _("Sertifikat Anda tetap berlaku — surveilan lanjutan dijadwalkan"), body=body,
               url=check_url(follow_up), due=follow_up.due_on)
    else:
        notify([holder], _("Sertifikat Anda tetap berlaku"),
               body=lazy_text(_("Surveilan ke-%(n)s: sertifikat %(number)s tidak dibekukan dan tetap berlaku. "
                                "Alasan: %(reason)s"), n=locked.order, number=cert.number, reason=reason),
               url=check_url(locked))
    if locked.proposed_by_id and locked.proposed_by_id != actor.pk:
        notify([locked.proposed_by], lazy_text(_("Usulan pembekuan sertifikat %(number)s: tidak dibekukan"),
                                               number=cert.number),
               body=lazy_text(_("%(name)s, surveilan ke-%(n)s: %(reason)s"), name=cert.holder_name, n=locked.order,
                              reason=reason), url=check_url(locked))
    chk.refresh_from_db()
    return chk


# --- reading -------------------------------------------------------------------------------------------------


def checks_for_staff():
    return (SurveillanceCheck.objects
            .select_related("surveillance__certificate__scheme", "surveillance__certificate__case__candidate")
            .order_by("due_on", "id"))


def filter_checks(qs, *, state="", q="", scheme=None, today=None):
    """The staff's list: state = soon (due within 30 days) | overdue | submitted | unsatisfactory | proposed |
    kept (decided not to suspend) | open | "" (all)."""
    today = today or timezone.localdate()
    if state == "soon":
        qs = qs.filter(status=C.DUE, due_on__gte=today, due_on__lte=today + dt.timedelta(days=30))
    elif state == "overdue":
        qs = qs.filter(status=C.DUE, due_on__lt=today)
    elif state == "submitted":
        qs = qs.filter(status=C.SUBMITTED)
    elif state == "proposed":
        qs = qs.filter(status=C.SUSPENSION_PROPOSED)
    elif state == "kept":
        qs = qs.filter(status=C.KEPT)
    elif state == "unsatisfactory":
        qs = qs.filter(status=C.UNSATISFACTORY)
    elif state == "open":
        qs = qs.filter(status__in=OPEN)
    if q:
        qs = qs.filter(Q(surveillance__certificate__number__icontains=q)
                       | Q(surveillance__certificate__holder_name__icontains=q))
    if scheme:
        qs = qs.filter(surveillance__certificate__scheme_id=scheme)
    return qs


def proposed_check(certificate, pk):
    """The check of `certificate` with id `pk` that waits for a suspension decision, or None."""
    if not str(pk or "").isdigit():
        return None
    return (SurveillanceCheck.objects.filter(pk=int(pk), surveillance__certificate=certificate,
                                             status=C.SUSPENSION_PROPOSED).first())


def suspension_prefill(chk):
    """What the suspension act's form starts with when opened from a proposal: the reason (the check, its
    result and the proposal's reason) and a public note that names no detail."""
    return {"reason": str(lazy_text(_("Surveilan ke-%(n)s (jatuh tempo %(due)s) %(result)s. Usulan pembekuan: "
                                      "%(reason)s"), n=chk.order, due=format_date_lazy(chk.due_on),
                                    result=_("tidak memenuhi") if chk.done_on else _("terlewat tanpa bukti"),
                                    reason=chk.suspension_reason)),
            "public_note": str(_("Dibekukan karena hasil surveilan tidak memenuhi persyaratan."))}


def awaiting_suspension():
    """Checks proposed for suspension, waiting for the suspension act to decide."""
    return checks_for_staff().filter(status=C.SUSPENSION_PROPOSED)


def checks_of_holder(user):
    """The holder's open checks (due, sent, waiting) across their certificates, soonest first."""
    return (SurveillanceCheck.objects.filter(surveillance__certificate__case__candidate=user, status__in=OPEN)
            .select_related("surveillance__certificate__scheme").order_by("due_on", "id"))


def clean_record(certificate, today=None):
    """True when the holder's surveillance record is clean: the certificate was never suspended or revoked, every
    check whose date has passed was found satisfactory, and none is unsatisfactory, proposed for suspension or
    kept after such a proposal."""
    today = today or timezone.localdate()
    if certificate.status != Certificate.Status.ACTIVE:
        return False
    checks = SurveillanceCheck.objects.filter(surveillance__certificate=certificate)
    if checks.filter(status__in=(C.UNSATISFACTORY, C.SUSPENSION_PROPOSED, C.SUSPENSION_DECIDED, C.KEPT)).exists():
        return False
    return not checks.filter(status__in=(C.DUE, C.SUBMITTED), due_on__lt=today).exists()
