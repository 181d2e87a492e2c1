"""Thin views: parse, call the service, render."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kompeten.cases.selectors import get_case
from kompeten.cases.workflow import roles_for
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role

from . import selectors, services
from .forms import AppealForm, AssignForm, ComplaintForm, DecideForm, DocumentForm, NoteForm
from .models import Grievance, GrievanceDocument
from .printing import ak04_pdf


def _client_ip(request):
    return request.META.get("REMOTE_ADDR", "")


# --- the candidate's appeal (FR.AK.04) ------------------------------------------------------------------


@login_required
def appeal_new(request, pk):
    case = get_case(pk, "event__site", "assessor__user")
    if Role.CANDIDATE not in roles_for(request.user, case):
        raise NotAllowed(_("Hanya asesi pada permohonan ini yang dapat mengajukan banding atasnya."))
    window = services.appeal_window(case)
    form = AppealForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and window.open and form.is_valid():
        d = form.cleaned_data
        try:
            g = services.lodge_appeal(case, request.user, explained=d["explained"], discussed=d["discussed"],
                                      involve_other=d["involve_other"], reasons=d["reasons"], consent=d["consent"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Banding %(number)s terkirim. LSP mengirim tanda terima dan memberi tahu Anda "
                                        "hasilnya.") % {"number": g.number})
            return redirect(g.get_absolute_url())
    return render(request, "appeals/appeal_form.html", {
        "case": case, "form": form, "window": window,
        "trail": [(_("Permohonan saya"), reverse("cases:mine")), (case.number, case.get_absolute_url()),
                  (_("Banding (FR.AK.04)"), None)],
    })


# --- complaints -----------------------------------------------------------------------------------------


def complaint_new(request):
    """Public: anyone lodges a complaint, with or without an account."""
    account = request.user if request.user.is_authenticated else None
    form = ComplaintForm(request.POST if request.method == "POST" else None, account=account)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            g = services.lodge_complaint(
                request.user, about=d["about"], reasons=d["reasons"], subject=d["subject"], name=d.get("name", ""),
                email=d.get("email", ""), phone=d["phone"], certificate_number=d["certificate_number"],
                ip=_client_ip(request), elapsed=form.elapsed(), trap=d["website"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            request.session["complaint_sent"] = {"number": g.number, "ack_due": g.ack_due.isoformat(),
                                                 "due_on": g.due_on.isoformat()}
            return redirect("appeals:complaint_sent")
    return render(request, "appeals/complaint_form.html", {"form": form, "trail": [(_("Pengaduan"), None)]})


def complaint_sent(request):
    sent = request.session.get("complaint_sent")
    if not sent:
        return redirect("appeals:complaint_new")
    sent = {"number": sent["number"], "ack_due": dt.date.fromisoformat(sent["ack_due"]),
            "due_on": dt.date.fromisoformat(sent["due_on"])}
    return render(request, "appeals/complaint_sent.html", {"sent": sent, "trail": [(_("Pengaduan"), None)]})


# --- lists ----------------------------------------------------------------------------------------------


@login_required
def grievance_list(request):
    """Admin / LSP head (every item) and handlers (what they hold): open items with deadlines, overdue first."""
    staff = services.is_staff(request.user)
    if not staff and not Grievance.objects.filter(handler=request.user).exists():
        raise NotAllowed(_("Daftar banding dan pengaduan hanya untuk admin LSP, Ketua LSP dan penangan."))
    q = request.GET.get("q", "").strip()
    kind = request.GET.get("kind", "")
    state = request.GET.get("state", "open")
    overdue = request.GET.get("overdue") == "1"
    mine = request.GET.get("mine") == "1" or not staff
    qs = selectors.listing(q=q, kind=kind, state=state, overdue=overdue, handler=request.user if mine else None)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for g in page.object_list:
        g.overdue_text = services.overdue_text(g)
    return render(request, "appeals/list.html", {
        "page": page, "q": q, "kind": kind, "state": state, "overdue": overdue, "mine": mine, "staff": staff,
        "counts": selectors.counts() if staff else None, "kinds": Grievance.Kind.choices,
        "statuses": Grievance.Status.choices, "trail": [(_("Banding & pengaduan"), None)],
    })


@login_required
def mine(request):
    page = Paginator(selectors.of_person(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "appeals/mine.html", {"page": page, "trail": [(_("Banding & pengaduan saya"), None)]})


# --- one appeal or complaint ----------------------------------------------------------------------------


def _access(request, pk):
    """(grievance, is_staff, is_handler, is_party) — 404 for anyone else (they do not learn it exists)."""
    g = get_object_or_404(Grievance.objects.select_related("case__candidate", "case__scheme", "handler",
                                                           "lodged_by", "decided_by"), pk=pk)
    user = request.user
    staff = services.is_staff(user)
    handler = g.handler_id == user.pk
    party = g.lodged_by_id == user.pk or (g.kind == Grievance.Kind.APPEAL and g.case.candidate_id == user.pk)
    if not (staff or handler or party):
        raise Http404(_("Banding atau pengaduan tidak ditemukan."))
    return g, staff, handler, party


@login_required
def detail(request, pk):
    g, staff, handler, party = _access(request, pk)
    inside = staff or handler  # the parties see the outcome, not the investigation
    ctx = {"g": g, "staff": staff, "handler": handler, "party": party, "inside": inside,
           "overdue_text": services.overdue_text(g)}
    if inside:
        ctx.update(
            notes=g.notes.select_related("author"), documents=g.documents.select_related("uploaded_by"),
            entries=history(g)[:30], case_url=g.case.get_absolute_url() if g.case_id else "",
            assign_form=AssignForm(handlers=services.eligible_handlers()), note_form=NoteForm(),
            document_form=DocumentForm(), decide_form=DecideForm(appeal=g.kind == Grievance.Kind.APPEAL),
        )
    ctx["trail"] = ([(_("Banding & pengaduan"), reverse("appeals:list"))] if inside
                    else [(_("Banding & pengaduan saya"), reverse("appeals:mine"))]) + [(g.number, None)]
    return render(request, "appeals/detail.html", ctx)


@login_required
@require_POST
def act(request, pk, action):
    """The forms of the detail page: acknowledge, assign, note, document, decide."""
    g, staff, handler, _party = _access(request, pk)
    forms = {
        "assign": lambda: AssignForm(request.POST, handlers=services.eligible_handlers()),
        "note": lambda: NoteForm(request.POST),
        "document": lambda: DocumentForm(request.POST, request.FILES),
        "decide": lambda: DecideForm(request.POST, appeal=g.kind == Grievance.Kind.APPEAL),
    }
    if action != "acknowledge" and action not in forms:
        raise Http404()
    form = forms[action]() if action in forms else None
    done = {
        "acknowledge": _("Tanda terima dikirim kepada pengaju."),
        "assign": _("Penangan ditugaskan dan diberi tahu."),
        "note": _("Catatan tersimpan."),
        "document": _("Dokumen terunggah."),
        "decide": _("Keputusan tersimpan; para pihak diberi tahu."),
    }[action]
    try:
        if action == "acknowledge":
            services.acknowledge(g, request.user)
        elif not form.is_valid():
            raise WorkflowError(_("Periksa kembali isian formulir."))
        elif action == "assign":
            services.assign_handler(g, request.user, form.cleaned_data["handler"])
        elif action == "note":
            services.add_note(g, request.user, form.cleaned_data["text"])
        elif action == "document":
            services.add_document(g, request.user, file=form.cleaned_data["file"], title=form.cleaned_data["title"])
        elif action == "decide":
            d = form.cleaned_data
            if d["outcome"] not in ("upheld", "rejected"):
                raise WorkflowError(_("Pilih dikabulkan atau ditolak."), field_errors={"outcome": [_("Wajib dipilih.")]})
            services.decide(g, request.user, upheld=d["outcome"] == "upheld", reasons=d["reasons"],
                            reopen=d.get("reopen", ""))
    except WorkflowError as exc:
        msgs = [str(m) for ms in exc.field_errors.values() for m in (ms if isinstance(ms, list | tuple) else [ms])]
        messages.error(request, str(exc.message) + (" " + " ".join(m for m in msgs if m != str(exc.message))
                                                    if msgs else ""))
    else:
        messages.success(request, done)
    return redirect(g.get_absolute_url())


@login_required
def document(request, pk):
    doc = get_object_or_404(GrievanceDocument.objects.select_related("grievance"), pk=pk)
    g = doc.grievance
    if not (services.is_staff(request.user) or g.handler_id == request.user.pk):
        raise NotAllowed(_("Dokumen penanganan hanya dapat dibuka oleh admin LSP, Ketua LSP dan penangannya."))
    response = FileResponse(doc.file.open("rb"), content_type=doc.content_type)
    safe = "".join(ch for ch in doc.original_name if ch.isalnum() or ch in "._- ")[:100] or "dokumen"
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def pdf(request, pk):
    g, _staff, _handler, _party = _access(request, pk)
    if g.kind != Grievance.Kind.APPEAL:
        raise Http404(_("Hanya banding yang dicetak pada FR.AK.04."))
    return ak04_pdf(g)
