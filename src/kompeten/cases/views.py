"""Thin views: parse, call the service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kompeten.cases import privacy, services
from kompeten.cases.access import can_see_documents, can_view, nik_search, staff_roles, visible_cases
from kompeten.cases.deadlines import due
from kompeten.cases.forms import (
    ApplicationForm,
    DocumentReviewForm,
    DocumentUploadForm,
    ReplaceDocumentForm,
    SelfAssessmentForm,
    StartCaseForm,
    WithdrawForm,
)
from kompeten.cases.models import Application, Case, Document, SelfAssessmentAnswer
from kompeten.cases.panels import CASE_PANELS, act_url, render_panels
from kompeten.cases.workflow import allowed_acts, next_steps
from kompeten.catalog.selectors import all_schemes, get_active_scheme
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.inputs import get_int, get_search, parse_int
from kompeten.core.models import Role
from kompeten.core.uploads import serve_private_file, upload_refused

CASE_RELATED = ("candidate", "scheme", "event__site", "assessor__user")


def _case(request, pk, *, candidate_only=False):
    case = get_object_or_404(Case.objects.select_related(*CASE_RELATED), pk=pk)
    if candidate_only and case.candidate_id != request.user.pk:
        raise NotAllowed(_("Halaman ini hanya untuk asesi pemilik permohonan."))
    if not can_view(request.user, case):
        raise NotAllowed(_("Anda tidak berwenang melihat permohonan ini."))
    return case


def _trail(case, *extra):
    if case is None:
        return list(extra)
    return [(case.number, case.get_absolute_url()), *extra]


def _base_trail(request):
    if staff_roles(request.user):
        return [(_("Permohonan"), reverse("cases:list"))]
    return [(_("Permohonan saya"), reverse("cases:mine"))]


# --- start ------------------------------------------------------------------------------------------


@login_required
def start(request, code):
    """Brochure → "Ajukan permohonan": choose the purpose and open a draft case."""
    scheme = get_active_scheme(code)
    form = StartCaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.create_case(request.user, scheme, purpose=form.cleaned_data["purpose"],
                                        purpose_other=form.cleaned_data["purpose_other"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Permohonan %(number)s dibuat. Lengkapi FR.APL.01, dokumen dan FR.APL.02, "
                                        "lalu kirim permohonan.") % {"number": case.number})
            return redirect("cases:apl01", case.pk)
    trail = [(_("Skema"), reverse("catalog:list")), (scheme.title, scheme.get_absolute_url()),
             (_("Ajukan permohonan"), None)]
    return render(request, "cases/start.html", {"scheme": scheme, "form": form, "trail": trail})


# --- lists --------------------------------------------------------------------------------------------


@login_required
def mine(request):
    cases = (Case.objects.filter(candidate=request.user).select_related("scheme", "event__site")
             .order_by("-created_at", "-id"))
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    return render(request, "cases/mine.html", {"page": page, "trail": [(_("Permohonan saya"), None)]})


@login_required
def case_list(request):
    if not staff_roles(request.user):
        raise NotAllowed(_("Daftar permohonan hanya untuk petugas LSP, asesor dan Ketua TUK."))
    cases = visible_cases(request.user).select_related(*CASE_RELATED, "application")
    q = get_search(request)
    if q:
        match = (Q(number__icontains=q) | Q(candidate__first_name__icontains=q)
                 | Q(candidate__last_name__icontains=q) | Q(application__full_name__icontains=q))
        by_nik = nik_search(request.user, q)  # exact 16 digits only, for who may see the NIK
        cases = cases.filter(match | by_nik if by_nik is not None else match)
    status = request.GET.get("status", "")
    if status in Case.Status.values:
        cases = cases.filter(status=status)
    scheme = get_int(request, "scheme")
    if scheme is not None:
        cases = cases.filter(scheme_id=scheme)
    scheme = "" if scheme is None else str(scheme)
    page = Paginator(cases.order_by("-submitted_at", "-created_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "cases/list.html", {
        "page": page, "q": q, "status": status, "scheme": scheme, "statuses": Case.Status.choices,
        "schemes": all_schemes().only("pk", "title"),
        "filtered": bool(q or status or scheme), "trail": [(_("Permohonan"), None)],
    })


# --- the case page ---------------------------------------------------------------------------------------


@login_required
def detail(request, pk):
    case = _case(request, pk)
    buttons, seen = [], set()
    for act in allowed_acts(request.user, case):
        url = act_url(act.code, case)
        if url and url not in seen:  # the three review outcomes share one page: one button
            seen.add(url)
            label = _("Kaji dokumen (FR.APL.01)") if act.code in services.OUTCOME_ACTS.values() else act.button
            buttons.append((act, label, url))
    # An act that waits for something (a precondition) has no deadline running yet.
    steps = [(s.act, s.who, None if s.waiting else due(case, s.act), s.waiting) for s in next_steps(case)]
    return render(request, "cases/detail.html", {
        "case": case, "progress": services.progress(case), "next_steps": steps,
        "buttons": buttons, "panels": render_panels(CASE_PANELS, case, request.user),
        "entries": privacy.without_personal_views(history(case))[:50],
        # Who looked at the personal file: for the admin (UU PDP), kept apart from the acts.
        "views": privacy.personal_views(case) if Role.ADMIN in request.user.role_set() else None,
        "trail": _base_trail(request) + [(case.number, None)],
    })


# --- APL.01 -------------------------------------------------------------------------------------------------


@login_required
def apl01(request, pk):
    case = _case(request, pk, candidate_only=True)
    app, _created = Application.objects.get_or_create(case=case)
    editable = case.status in services.EDITABLE_STATUSES
    initial = {"purpose": case.purpose, "purpose_other": case.purpose_other}
    form = ApplicationForm(request.POST or None, instance=app, initial=initial)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.save_application(case, request.user, form.cleaned_data)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("FR.APL.01 tersimpan."))
            if "next" in request.POST:
                return redirect("cases:documents", case.pk)
            return redirect("cases:apl01", case.pk)
    return render(request, "cases/apl01.html", {
        "case": case, "form": form, "editable": editable, "review": services.latest_review(case),
        "units": case.scheme.units.all(), "trail": _base_trail(request) + _trail(case, ("FR.APL.01", None)),
    })


# --- APL.02 -------------------------------------------------------------------------------------------------


@login_required
def apl02(request, pk):
    case = _case(request, pk, candidate_only=True)
    editable = case.status in services.EDITABLE_STATUSES
    elements = services.scheme_elements(case.scheme)
    answers = {a.element_id: a for a in SelfAssessmentAnswer.objects.filter(case=case).prefetch_related("evidence")}
    documents = list(services.current_documents(case))
    form = SelfAssessmentForm(request.POST or None, elements=elements, documents=documents, answers=answers)
    if request.method == "POST" and editable and form.is_valid():
        try:
            services.save_self_assessment(case, request.user, form.answers())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("FR.APL.02 tersimpan."))
            if "next" in request.POST:
                return redirect("cases:submit", case.pk)
            return redirect("cases:apl02", case.pk)
    return render(request, "cases/apl02.html", {
        "case": case, "form": form, "editable": editable, "has_documents": bool(documents),
        "trail": _base_trail(request) + _trail(case, ("FR.APL.02", None)),
    })


# --- documents ----------------------------------------------------------------------------------------------


@login_required
def documents(request, pk):
    case = _case(request, pk, candidate_only=True)
    editable = case.status in services.EDITABLE_STATUSES
    requirements = services.requirements_of(case.scheme, needs_upload=True)
    max_mb = f"{settings.UPLOAD_MAX_BYTES / 1048576:g}"
    form = DocumentUploadForm(request.POST or None, request.FILES or None, requirements=requirements,
                              max_mb=max_mb, initial={"requirement": get_int(request, "req")})
    refused = upload_refused(request)  # the body was larger than the limit: not read, not stored
    if refused:
        form.is_valid()
        form.errors["file"] = form.error_class([refused])
    elif request.method == "POST" and editable and form.is_valid():
        req_id = form.cleaned_data["requirement"]
        requirement = next((r for r in requirements if r.pk == req_id), None)
        try:
            doc = services.upload_document(case, request.user, file=form.cleaned_data["file"],
                                           requirement=requirement, title=form.cleaned_data["title"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("“%(name)s” terunggah.") % {"name": doc.label})
            return redirect("cases:documents", case.pk)
    return render(request, "cases/documents.html", _documents_context(request, case, form, editable, requirements))


def _documents_context(request, case, form, editable, requirements):
    all_docs = list(Document.objects.filter(case=case).select_related("requirement", "next_version")
                    .order_by("-version", "-id"))
    current = [d for d in all_docs if not hasattr(d, "next_version")]
    review = services.latest_review(case) if case.status == "revision" else None
    to_fix = {i.requirement_id: i for i in review.items_to_fix()} if review else {}
    by_req = []
    for r in requirements:
        docs = [d for d in current if d.requirement_id == r.pk]
        by_req.append((r, docs, to_fix.get(r.pk)))
    others = [d for d in current if d.requirement_id is None]
    by_pk = {x.pk: x for x in all_docs}
    for d in current:
        chain, p = [], d
        while p.previous_id:
            p = by_pk[p.previous_id]
            chain.append(p)
        d.previous_chain = chain
    return {"case": case, "form": form, "editable": editable, "by_req": by_req,
            "alternatives": services.basic_are_alternatives(case.scheme), "others": others,
            "replace_form": ReplaceDocumentForm(), "review": review,
            "trail": _base_trail(request) + _trail(case, (_("Dokumen"), None))}


@login_required
@require_http_methods(["POST"])
def replace_document(request, pk):
    doc = get_object_or_404(Document.objects.select_related("case"), pk=pk)
    case = _case(request, doc.case_id, candidate_only=True)
    form = ReplaceDocumentForm(request.POST, request.FILES)
    refused = upload_refused(request)
    if refused:
        messages.error(request, refused)
    elif form.is_valid():
        try:
            new = services.upload_document(case, request.user, file=form.cleaned_data["file"], replaces=doc)
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Versi %(v)s dari “%(name)s” terunggah; versi lama tetap tersimpan.")
                             % {"v": new.version, "name": new.label})
    else:
        messages.error(request, _("Pilih berkas pengganti."))
    return redirect("cases:documents", case.pk)


@login_required
def document_file(request, pk):
    doc = get_object_or_404(Document.objects.select_related("case__event__site", "case__assessor"), pk=pk)
    if not can_see_documents(request.user, doc.case):
        raise PermissionDenied(_("Anda tidak berwenang membuka dokumen ini."))
    privacy.record_personal_view(request.user, doc.case, "document", document=doc.pk, name=doc.label)
    # Served under a name made from the case number and the type, never the uploader's name or extension.
    return serve_private_file(doc.file.open("rb"), doc.content_type,
                              f"{doc.case.number}-dokumen-{doc.pk}-v{doc.version}")


# --- submit / withdraw ---------------------------------------------------------------------------------


@login_required
def submit(request, pk):
    case = _case(request, pk, candidate_only=True)
    if request.method == "POST":
        try:
            services.submit_application(case, request.user)
        except WorkflowError as exc:
            if case.status in services.EDITABLE_STATUSES:
                messages.error(request, _("Permohonan belum dapat dikirim: lengkapi dulu daftar di bawah."))
                missing = exc.field_errors.get("__all__") or [exc.message]
            else:  # already sent (or closed): say so, there is nothing to complete
                messages.error(request, exc.message)
                missing = []
        else:
            messages.success(request, _("Permohonan terkirim. Admin LSP akan mengkaji kelengkapan dokumen Anda."))
            return redirect(case.get_absolute_url())
    else:
        missing = services.missing_items(case) if case.status in services.EDITABLE_STATUSES else []
    return render(request, "cases/submit.html", {
        "case": case, "missing": missing, "editable": case.status in services.EDITABLE_STATUSES,
        "trail": _base_trail(request) + _trail(case, (_("Kirim permohonan"), None)),
    })


@login_required
def withdraw(request, pk):
    case = _case(request, pk, candidate_only=True)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(case, request.user, reason=form.cleaned_data["reason"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Permohonan %(number)s telah ditarik.") % {"number": case.number})
            return redirect(case.get_absolute_url())
    return render(request, "cases/withdraw.html", {
        "case": case, "form": form, "trail": _base_trail(request) + _trail(case, (_("Tarik permohonan"), None))})


# --- S2.1 review ---------------------------------------------------------------------------------------


@login_required
def review(request, pk):
    case = _case(request, pk)
    if Role.ADMIN not in request.user.role_set():
        raise NotAllowed(_("Kaji dokumen hanya dilakukan oleh Admin LSP."))
    requirements = services.requirements_of(case.scheme)
    docs = list(services.current_documents(case))
    with_doc = {d.requirement_id for d in docs}
    initial = {f"check_{r.pk}": "absent" for r in requirements if r.needs_upload and r.pk not in with_doc}
    form = DocumentReviewForm(request.POST or None, requirements=requirements, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_documents(case, request.user, items=form.items(), outcome=form.cleaned_data["outcome"],
                                      note=form.cleaned_data["note"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Hasil kaji dokumen tersimpan dan asesi sudah diberi tahu."))
            return redirect(case.get_absolute_url())
    if request.method == "GET":
        privacy.record_personal_view(request.user, case, "review")
    rows = [(r, bf, cf, [d for d in docs if d.requirement_id == r.pk]) for r, bf, cf in form.rows()]
    answers = (SelfAssessmentAnswer.objects.filter(case=case).select_related("element__unit")
               .prefetch_related(Prefetch("evidence")))
    return render(request, "cases/review.html", {
        "case": case, "form": form, "rows": rows, "app": Application.objects.filter(case=case).first(),
        "others": [d for d in docs if d.requirement_id is None], "answers": answers,
        "reviews": case.document_reviews.select_related("reviewer").prefetch_related("items__requirement"),
        "can_review": case.status == "submitted",
        "trail": _base_trail(request) + _trail(case, (_("Kaji dokumen"), None)),
    })


# --- PDFs ------------------------------------------------------------------------------------------------


@login_required
def apl01_pdf(request, pk):
    from kompeten.cases.printing import apl01_pdf as build

    case = _case(request, pk)
    if not can_see_documents(request.user, case):
        raise NotAllowed(_("Anda tidak berwenang mencetak formulir ini."))
    from kompeten.core.pdf import pdf_response

    privacy.record_personal_view(request.user, case, "apl01_pdf")
    return pdf_response(build(case), f"APL01-{case.number}.pdf")


@login_required
def apl02_pdf(request, pk):
    from kompeten.cases.printing import apl02_pdf as build

    case = _case(request, pk)
    if not can_see_documents(request.user, case):
        raise NotAllowed(_("Anda tidak berwenang mencetak formulir ini."))
    from kompeten.core.pdf import pdf_response

    privacy.record_personal_view(request.user, case, "apl02_pdf")
    return pdf_response(build(case), f"APL02-{case.number}.pdf")


# --- the candidate's own data (UU PDP) -----------------------------------------------------------------------


@login_required
def my_data_json(request):
    """All the candidate's data in their cases, as JSON."""
    response = HttpResponse(privacy.export_json(request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="data-saya.json"'
    return response


@login_required
def my_data_zip(request):
    """The same JSON and every file the candidate uploaded, in one zip."""
    response = HttpResponse(privacy.export_zip(request.user), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="data-saya.zip"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def erasure(request):
    """The candidate: what the LSP may erase of their data and what it keeps (and why); asks for erasure."""
    pending = privacy.open_request(request.user)
    if request.method == "POST" and not request.POST.get("confirm"):
        messages.error(request, _("Centang pernyataan bahwa Anda memahami apa yang dihapus dan apa yang disimpan."))
        return redirect("cases:erasure")
    if request.method == "POST":
        try:
            privacy.request_erasure(request.user, reason=request.POST.get("reason", ""))
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Permintaan penghapusan data terkirim. Admin LSP memutuskannya dan Anda "
                                        "akan diberi tahu."))
        return redirect("cases:erasure")
    return render(request, "cases/erasure.html", {
        "plan": privacy.erasure_plan(request.user), "pending": pending,
        "past": request.user.erasure_requests.exclude(pk=getattr(pending, "pk", None))[:10],
        "trail": [(_("Permohonan saya"), reverse("cases:mine")), (_("Hapus data pribadi"), None)]})


@login_required
@require_http_methods(["GET", "POST"])
def erasure_requests(request):
    """Admin LSP: open erasure requests, each with what would be erased and kept; approve or refuse with a reason."""
    from kompeten.cases.models import ErasureRequest

    if Role.ADMIN not in request.user.role_set():
        raise NotAllowed(_("Permintaan penghapusan data hanya diputuskan oleh Admin LSP."))
    if request.method == "POST":
        req = get_object_or_404(ErasureRequest, pk=parse_int(request.POST.get("request")) or 0)
        try:
            privacy.decide_erasure(req, request.user, approve=request.POST.get("action") == "approve",
                                   reason=request.POST.get("reason", ""))
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Keputusan atas permintaan penghapusan data dicatat."))
        return redirect("cases:erasure_requests")
    rows = [(r, privacy.erasure_plan(r.candidate)) for r in
            ErasureRequest.objects.filter(status=ErasureRequest.Status.REQUESTED).select_related("candidate")[:50]]
    done = ErasureRequest.objects.exclude(status=ErasureRequest.Status.REQUESTED).select_related(
        "candidate", "decided_by")[:20]
    return render(request, "cases/erasure_requests.html", {
        "rows": rows, "done": done, "trail": [(_("Permintaan penghapusan data"), None)]})
