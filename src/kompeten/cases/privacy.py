"""Personal data on a need-to-know basis (UU PDP): every look by staff at a candidate's personal file is
written to the action log on the case, and a candidate can take all their data with them."""

import io
import json
import zipfile

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
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
