"""Personal data on a need-to-know basis (UU PDP): every look by staff at a candidate's personal file is
written to the action log on the case, and a candidate can take all their data with them."""

import io
import json
import zipfile

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.cases.models import Application, Case, Document, SelfAssessmentAnswer
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.models import ActionLog
from kompeten.core.uploads import safe_name

VIEW_ACT = "view_personal_data"
register_act_labels({VIEW_ACT: _("Data pribadi dilihat")})

# What was viewed, as it reads on the case page.
WHAT = {
    "apl01_pdf": _("FR.APL.01 (PDF)"),
    "apl02_pdf": _("FR.APL.02 (PDF)"),
    "document": _("Dokumen bukti"),
    "review": _("Halaman kaji dokumen"),
}


def record_personal_view(actor, case, what, **data):
    """One log entry when someone other than the candidate opens the candidate's personal file. One INSERT,
    no lock: reading a page stays as fast as before."""
    if getattr(actor, "pk", None) is None or actor.pk == case.candidate_id:
        return None
    return log_action(actor, VIEW_ACT, case, data={"what": what, **data})


def personal_views(case, limit=50):
    """Who looked at the case's personal file, newest first (for the admin on the case page)."""
    entries = list(ActionLog.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk,
                                            act=VIEW_ACT).select_related("actor")[:limit])
    for e in entries:
        e.what = WHAT.get(e.data.get("what"), e.data.get("what", ""))
        e.detail = e.data.get("name", "")
    return entries


def without_personal_views(entries):
    return entries.exclude(act=VIEW_ACT)


# --- the candidate's own data -------------------------------------------------------------------------------

APPLICATION_FIELDS = [f.name for f in Application._meta.fields if f.name not in ("id", "case")]


def _own_documents(user):
    return Document.objects.filter(case__candidate=user).select_related("case", "requirement").order_by("case", "id")


def _file_name(doc):
    return f"{doc.case.number}/" + safe_name(f"{doc.pk}-{doc.label}-v{doc.version}", doc.content_type)


def export_data(user):
    """Everything the LSP keeps about the candidate in their cases, as one JSON-ready dict."""
    cases = Case.objects.filter(candidate=user).select_related("scheme", "application").order_by("created_at", "id")
    case_type = ContentType.objects.get_for_model(Case)
    out = {
        "exported_at": timezone.now(),
        "account": {"username": user.username, "email": user.email, "first_name": user.first_name,
                    "last_name": user.last_name, "phone": user.phone, "language": user.language,
                    "date_joined": user.date_joined},
        "cases": [],
    }
    docs = list(_own_documents(user))
    for case in cases:
        app = getattr(case, "application", None)
        out["cases"].append({
            "number": case.number, "scheme": case.scheme.title, "scheme_number": case.scheme.number,
            "status": case.status, "status_label": str(case.get_status_display()), "purpose": case.purpose,
            "created_at": case.created_at, "submitted_at": case.submitted_at,
            "application": {f: getattr(app, f) for f in APPLICATION_FIELDS} if app else None,
            "self_assessment": [
                {"element": a.element.title, "answer": a.answer, "note": a.note,
                 "evidence": [d.pk for d in a.evidence.all()]}
                for a in SelfAssessmentAnswer.objects.filter(case=case).select_related("element")
                .prefetch_related("evidence")],
            "documents": [
                {"id": d.pk, "label": d.label, "original_name": d.original_name, "content_type": d.content_type,
                 "size": d.size, "sha256": d.sha256, "version": d.version, "uploaded_at": d.uploaded_at,
                 "file_in_zip": _file_name(d)} for d in docs if d.case_id == case.pk],
            "history": [
                {"at": e.at, "act": e.act, "label": str(e.label), "by": str(e.actor) if e.actor else "",
                 "reason": e.reason, "status_before": e.status_before, "status_after": e.status_after}
                for e in ActionLog.objects.filter(content_type=case_type, object_id=case.pk)
                .select_related("actor").order_by("at", "id")],
        })
    return out


def export_json(user):
    return json.dumps(export_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)


def export_zip(user):
    """A zip with data.json and every file the candidate uploaded (all versions)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("data.json", export_json(user))
        for doc in _own_documents(user):
            try:
                with doc.file.open("rb") as f:
                    zf.writestr(_file_name(doc), f.read())
            except FileNotFoundError:
                continue
    return buffer.getvalue()


# --- erasure (UU PDP) ----------------------------------------------------------------------------------------
#
# A candidate may ask the LSP to erase their personal data. The LSP erases what it no longer needs — applications
# that never reached a certification decision (drafts, withdrawn, not accepted, not continued): the APL.01 personal
# and contact details, the uploaded files, the APL.02 notes — and the phone number of the account. It keeps what a
# certification body must keep (ISO/IEC 17024 §7.2, BNSP Pedoman 201): every case that is still running, and every
# case that reached a decision — application, assessment records, decision, certificate, agreements, surveillance
# and the action log, for the certificate's validity and the retention period after it.

ERASABLE_STATUSES = ("draft", "withdrawn", "not_accepted", "not_continued")
ERASED = "—"
PERSONAL_FIELDS = ("nik", "passport_number", "birth_place", "address", "postcode", "phone_home", "phone", "email",
                   "education", "employer", "position", "office_address", "office_postcode", "office_phone",
                   "office_fax", "office_email")
register_act_labels({
    "request_erasure": _("Penghapusan data pribadi diminta"),
    "erase_personal_data": _("Data pribadi dihapus atas permintaan asesi"),
    "refuse_erasure": _("Permintaan penghapusan data ditolak"),
})


def erasure_plan(candidate):
    """{"erase": [cases whose personal data goes], "keep": [(case, why)]} for the candidate's cases."""
    erase, keep = [], []
    for case in Case.objects.filter(candidate=candidate).select_related("scheme").order_by("pk"):
        if case.status in ERASABLE_STATUSES:
            erase.append(case)
        elif case.status in ("competent", "not_competent", "certified", "surveillance"):
            keep.append((case, _("sudah ada keputusan sertifikasi: rekaman sertifikasi wajib disimpan LSP "
                                 "(ISO/IEC 17024, Pedoman BNSP)")))
        else:
            keep.append((case, _("masih berjalan: tarik permohonan lebih dulu bila ingin datanya dihapus")))
    return {"erase": erase, "keep": keep}


def open_request(candidate):
    from kompeten.cases.models import ErasureRequest

    return ErasureRequest.objects.filter(candidate=candidate, status=ErasureRequest.Status.REQUESTED).first()


def request_erasure(actor, *, reason=""):
    """The candidate (any logged-in person with cases): asks for erasure. One open request at a time; logged;
    admins are told."""
    from django.db import transaction

    from kompeten.cases.models import ErasureRequest
    from kompeten.core.errors import WorkflowError
    from kompeten.core.notify import notify

    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=actor.pk)  # one open request, also at the same moment
        if open_request(actor):
            raise WorkflowError(_("Permintaan penghapusan Anda sebelumnya masih menunggu keputusan admin."))
        req = ErasureRequest.objects.create(candidate=actor, reason=(reason or "").strip()[:2000])
        log_action(actor, "request_erasure", req, reason=req.reason)
    from kompeten.cases.services import admins

    notify(admins(), _("Permintaan penghapusan data pribadi"), body=req.reason,
           url=reverse("cases:erasure_requests"), about=req, asks=("erase_personal_data", "refuse_erasure"))
    return req


def erase_case(case):
    """Erase the personal data of one case that never reached a decision; returns what was erased."""
    app = Application.objects.filter(case=case).first()
    fields = []
    if app is not None:
        for f in PERSONAL_FIELDS:
            if getattr(app, f):
                setattr(app, f, "")
                fields.append(f)
        if app.full_name:
            app.full_name, app.birth_date, app.sex = ERASED, None, ""
            fields.append("full_name")
        app.save()
    files = 0
    for doc in Document.objects.filter(case=case):
        if doc.file:
            doc.file.storage.delete(doc.file.name)
            files += 1
        Document.objects.filter(pk=doc.pk).update(file="", original_name=ERASED, title=ERASED)
    notes = SelfAssessmentAnswer.objects.filter(case=case).exclude(note="").update(note="")
    return {"case": case.number, "fields": fields, "files": files, "notes": notes}


def decide_erasure(req, actor, *, approve, reason):
    """Admin LSP: decides a request with a reason (required). Approved: erases exactly what erasure_plan lists
    (nothing of a decided or running case) and the account's phone number; logged on the request and on each case.
    Refused: logged; the candidate is told either way."""
    from django.db import transaction

    from kompeten.cases.models import ErasureRequest
    from kompeten.core.errors import NotAllowed, WorkflowError
    from kompeten.core.models import Role
    from kompeten.core.notify import notify

    if Role.ADMIN not in actor.role_set():
        raise NotAllowed(_("Permintaan penghapusan data hanya diputuskan oleh Admin LSP."))
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("Tuliskan alasan keputusan; asesi berhak mengetahuinya."),
                            field_errors={"reason": [_("Alasan wajib diisi.")]})
    with transaction.atomic():
        locked = ErasureRequest.objects.select_for_update().get(pk=req.pk)
        if locked.status != ErasureRequest.Status.REQUESTED:
            raise WorkflowError(_("Permintaan ini sudah diputuskan."))
        locked.decided_by, locked.decided_at, locked.decision_reason = actor, timezone.now(), reason
        if approve:
            done = []
            for case in erasure_plan(locked.candidate)["erase"]:
                what = erase_case(case)
                done.append(what)
                log_action(actor, "erase_personal_data", case, reason=reason, data=what,
                           status_before=case.status, status_after=case.status)
            user = locked.candidate
            if user.phone:
                user.phone = ""
                user.save(update_fields=["phone"])
            locked.status, locked.erased = ErasureRequest.Status.DONE, {"cases": done, "account_phone": True}
        else:
            locked.status = ErasureRequest.Status.REFUSED
        locked.save()
        log_action(actor, "erase_personal_data" if approve else "refuse_erasure", locked, reason=reason,
                   data=locked.erased)
    notify([locked.candidate], _("Permintaan penghapusan data Anda diputuskan"), body=reason,
           url=reverse("cases:erasure"))
    return locked
