"""Thin views of surveillance checks and recertification: parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from kompeten.catalog.selectors import active_schemes
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.inputs import get_search
from kompeten.core.models import Role
from kompeten.core.uploads import serve_private_file, upload_refused

from . import recertification, status, surveillance
from .models import Certificate, SurveillanceCheck, SurveillanceEvidence
from .surveillance_forms import EvidenceForm, KeepForm, ProposeForm, ResultForm

STATES = [("", _("Semua")), ("open", _("Belum selesai")), ("soon", _("Jatuh tempo ≤ 30 hari")),
          ("overdue", _("Terlambat")), ("submitted", _("Bukti menunggu penilaian")),
          ("unsatisfactory", _("Tidak memenuhi")), ("proposed", _("Menunggu keputusan pembekuan")),
          ("kept", _("Tidak dibekukan"))]


def _check(pk):
    return get_object_or_404(
        SurveillanceCheck.objects.select_related("surveillance__certificate__scheme",
                                                 "surveillance__certificate__case__candidate",
                                                 "recorded_by", "proposed_by", "decided_by", "follow_up_of"),
        pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def check_detail(request, pk):
    """One surveillance check: the holder sends evidence; an assessor or admin records the result or proposes
    suspension; the admin or LSP head decides on the proposal (suspend: the certificate's act; or keep it valid)."""
    chk = _check(pk)
    user = request.user
    if not surveillance.may_view(user, chk):
        raise NotAllowed(_("Surveilan ini hanya dapat dibuka oleh pemegang sertifikatnya dan staf LSP."))
    holder, assessor = surveillance.is_holder(user, chk), surveillance.may_assess(user, chk)
    S = SurveillanceCheck.Status
    overdue = surveillance.is_overdue(chk)
    can_submit = holder and chk.status in (S.DUE, S.SUBMITTED)
    can_record = assessor and chk.status == S.SUBMITTED
    can_propose = assessor and (chk.status == S.UNSATISFACTORY or overdue)
    can_keep = chk.status == S.SUSPENSION_PROPOSED and surveillance.may_decide(user, chk)
    evidence_form = EvidenceForm(initial={"logbook": chk.logbook, "employer_statement": chk.employer_statement})
    result_form, propose_form, keep_form = ResultForm(), ProposeForm(), KeepForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "evidence":
                evidence_form = EvidenceForm(request.POST, request.FILES)
                refused = upload_refused(request)
                if refused:
                    evidence_form.add_error("files", refused)
                elif evidence_form.is_valid():
                    d = evidence_form.cleaned_data
                    surveillance.submit_evidence(chk, user, logbook=d["logbook"],
                                                 employer_statement=d["employer_statement"], files=d["files"])
                    messages.success(request, _("Bukti surveilan terkirim. LSP akan menilainya."))
                    return redirect(surveillance.check_url(chk))
            elif action == "result":
                result_form = ResultForm(request.POST)
                if result_form.is_valid():
                    d = result_form.cleaned_data
                    surveillance.record_result(chk, user, satisfactory=d["result"] == "satisfactory", notes=d["notes"])
                    messages.success(request, _("Hasil surveilan tercatat."))
                    return redirect(surveillance.check_url(chk))
            elif action == "propose":
                propose_form = ProposeForm(request.POST)
                if propose_form.is_valid():
                    surveillance.propose_suspension(chk, user, reason=propose_form.cleaned_data["reason"])
                    messages.success(request, _("Usulan pembekuan tercatat dan menunggu keputusan."))
                    return redirect(surveillance.check_url(chk))
            elif action == "keep":
                keep_form = KeepForm(request.POST)
                # Not this user's decision, or no proposal open: the act refuses it with its own message.
                if keep_form.is_valid() or not can_keep:
                    d = keep_form.cleaned_data
                    surveillance.keep_certificate(chk, user, reason=d.get("reason", ""),
                                                  follow_up_on=d.get("follow_up_on"))
                    messages.success(request, _("Keputusan tercatat: sertifikat tidak dibekukan dan tetap berlaku. "
                                                "Pemegang sudah diberi tahu."))
                    return redirect(surveillance.check_url(chk))
            else:
                messages.error(request, _("Tindakan tidak dikenal."))
        except WorkflowError as exc:
            form = {"evidence": evidence_form, "result": result_form, "propose": propose_form,
                    "keep": keep_form}.get(action)
            shown = {"evidence": can_submit, "result": can_record, "propose": can_propose, "keep": can_keep}
            if form is not None and shown.get(action):
                form.add_workflow_errors(exc)
            else:
                messages.error(request, str(exc))
    cert = chk.surveillance.certificate
    # A proposal waits for the certificate's suspension act: those who may do it go there, the form filled in.
    suspend_url = None
    if chk.status == S.SUSPENSION_PROPOSED and status.may_change(user, cert.case, "suspend_certificate"):
        suspend_url = (reverse("certification:change_status", args=[cert.pk, "suspend_certificate"])
                       + f"?check={chk.pk}")
    trail = ([(_("Surveilan"), reverse("certification:surveillance_checks"))] if assessor
             else [(cert.case.number, cert.case.get_absolute_url())])
    return render(request, "certification/surveillance/check.html", {
        "chk": chk, "cert": cert, "evidence": chk.evidence.select_related("uploaded_by"), "holder": holder,
        "assessor": assessor, "overdue": overdue, "can_submit": can_submit, "can_record": can_record,
        "can_propose": can_propose, "evidence_form": evidence_form, "result_form": result_form,
        "propose_form": propose_form, "suspend_url": suspend_url, "can_keep": can_keep, "keep_form": keep_form,
        "follow_ups": chk.follow_ups.all(),
        "trail": [*trail, (_("Surveilan ke-%(n)s") % {"n": chk.order}, None)],
    })


@login_required
def evidence_file(request, pk):
    ev = get_object_or_404(SurveillanceEvidence.objects.select_related(
        "surveillance_check__surveillance__certificate__case"), pk=pk)
    if not surveillance.may_view(request.user, ev.surveillance_check):
        raise NotAllowed(_("Bukti surveilan hanya dapat dibuka oleh pemegang sertifikatnya dan staf LSP."))
    return serve_private_file(ev.file.open("rb"), ev.content_type, f"bukti-surveilan-{ev.pk}")


@login_required
def checks(request):
    """Staff: surveillance checks due and overdue (search, filters, pages), and those awaiting a suspension
    decision."""
    if not request.user.role_set() & {Role.ADMIN, Role.LSP_HEAD, Role.ASSESSOR, Role.COMMITTEE}:
        raise NotAllowed(_("Daftar surveilan hanya untuk staf LSP dan asesor."))
    today = timezone.localdate()
    state = request.GET.get("state", "open")
    if state not in dict(STATES):
        state = "open"
    q = get_search(request)
    schemes = list(active_schemes())
    scheme = request.GET.get("scheme", "")
    scheme_id = int(scheme) if scheme.isdigit() and any(s.pk == int(scheme) for s in schemes) else None
    qs = surveillance.filter_checks(surveillance.checks_for_staff(), state=state, q=q, scheme=scheme_id, today=today)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for c in page.object_list:
        c.overdue = surveillance.is_overdue(c, today)
    return render(request, "certification/surveillance/checks.html", {
        "page": page, "q": q, "state": state, "states": STATES, "schemes": schemes, "scheme": scheme_id,
        "today": today, "waiting": surveillance.awaiting_suspension().count(),
        "trail": [(_("Surveilan"), None)],
    })


@login_required
@require_http_methods(["GET", "POST"])
def recertify(request, pk):
    """The holder starts recertification from an expiring certificate (confirm page, then POST)."""
    cert = get_object_or_404(Certificate.objects.select_related("case__candidate", "scheme"), pk=pk)
    if cert.case.candidate_id != request.user.pk:
        raise NotAllowed(_("Sertifikasi ulang hanya dapat diajukan oleh pemegang sertifikat."))
    if request.method == "POST":
        try:
            link = recertification.start_recertification(cert, request.user)
        except WorkflowError as exc:
            messages.error(request, str(exc))
            return redirect("certification:recertify", pk=cert.pk)
        messages.success(request, _("Permohonan sertifikasi ulang dibuka. Lengkapi APL.01 dan APL.02, lalu ajukan."))
        return redirect(link.case.get_absolute_url())
    path, methods, reason = recertification.path_for(cert)
    return render(request, "certification/surveillance/recertify.html", {
        "cert": cert, "blocker": recertification.blocker(cert, request.user), "path": path, "reason": reason,
        "trail": [(cert.case.number, cert.case.get_absolute_url()), (_("Sertifikasi ulang"), None)],
    })
