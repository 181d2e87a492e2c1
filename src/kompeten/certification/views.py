"""Thin views: parse, call the service, render."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Min, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kompeten.assessment.selectors import assessor_recommendation, unit_recommendations
from kompeten.cases.selectors import get_case
from kompeten.cases.workflow import CaseStatus, check, roles_for
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.inputs import get_search
from kompeten.core.models import Role
from kompeten.core.pdf import pdf_response
from kompeten.core.ratelimit import allow

from . import credentials, did, public, rendering, scanlog, selectors, services
from . import status_list as status_list_module
from .forms import AgreementForm, DecisionForm, EnrolForm, VerifyForm
from .models import Certificate, HolderAgreement, Result, Surveillance

STAFF_ROLES = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE}


def _case(pk):
    return get_case(pk, "event__site", "assessor__user")


def _trail(case, label):
    """Breadcrumbs up to the case page."""
    try:
        cases_url = reverse("cases:list")
    except NoReverseMatch:
        cases_url = None
    return [(_("Permohonan"), cases_url), (case.number, services.case_url(case)), (label, None)]


@login_required
def decide(request, pk):
    """S5.1 decision page: the case file summary and the committee's decision form."""
    case = _case(pk)
    check(request.user, case, "decide_competent")  # committee, not the case's assessor, awaiting decision
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["decision"] == Result.K:
                services.decide_competent(case, request.user, reason=d["reason"], meeting_ref=d["meeting_ref"])
                messages.success(request, _("Keputusan Kompeten tersimpan; asesi diberi tahu."))
            else:
                services.decide_not_competent(case, request.user, reason=d["reason"],
                                              meeting_ref=d["meeting_ref"])
                messages.success(request, _("Keputusan Belum Kompeten tersimpan; asesi diberi tahu."))
            return redirect(services.case_url(case))
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
    return render(request, "certification/decide.html", {
        "case": case, "form": form, "units": unit_recommendations(case),
        "recommendation": assessor_recommendation(case),
        **services.case_file(case), "entries": history(case)[:20],
        "trail": _trail(case, _("Keputusan sertifikasi")), "case_url": services.case_url(case),
    })


@login_required
def agreement(request, pk):
    """S5.2: the candidate reads how the certificate may be used and signs (once)."""
    case = _case(pk)
    mine = roles_for(request.user, case)
    if Role.CANDIDATE not in mine and not mine & STAFF_ROLES:
        raise NotAllowed(_("Hanya asesi pada permohonan ini yang dapat menandatangani persetujuan ini."))
    signed = HolderAgreement.objects.filter(case=case).select_related("signed_by").first()
    form = AgreementForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.sign_holder_agreement(case, request.user)
        messages.success(request, _("Persetujuan ditandatangani. LSP akan segera menerbitkan sertifikat Anda."))
        return redirect(services.case_url(case))
    return render(request, "certification/agreement.html", {
        "case": case, "form": form, "signed": signed, "can_sign": Role.CANDIDATE in mine and not signed
        and case.status == CaseStatus.COMPETENT,
        "clauses": services.HOLDER_AGREEMENT_CLAUSES, "trail": _trail(case, _("Persetujuan penggunaan sertifikat")),
    })


@login_required
def issue(request, pk):
    """S5.2: the LSP head or admin confirms and issues the certificate."""
    case = _case(pk)
    check(request.user, case, "issue_certificate")
    if request.method == "POST":
        cert = services.issue_certificate(case, request.user)
        messages.success(request, _("Sertifikat %(number)s diterbitkan.") % {"number": cert.number})
        return redirect(services.case_url(case))
    return render(request, "certification/issue.html", {
        "case": case, "decision": selectors.current_decision(case),
        "signed": HolderAgreement.objects.filter(case=case).select_related("signed_by").first(),
        "trail": _trail(case, _("Penerbitan sertifikat")), "case_url": services.case_url(case),
    })


@login_required
def enrol(request, pk):
    """S5.3: the admin enrols the holder in surveillance."""
    case = _case(pk)
    check(request.user, case, "enrol_surveillance")
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrol_surveillance(case, request.user, first_due=form.cleaned_data["first_due"])
            messages.success(request, _("Pemegang sertifikat didaftarkan ke surveilan."))
            return redirect(services.case_url(case))
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
    return render(request, "certification/enrol.html", {
        "case": case, "form": form, "certificate": Certificate.objects.filter(case=case).first(),
        "trail": _trail(case, _("Pendaftaran surveilan")),
    })


@login_required
def certificate_pdf(request, pk):
    cert = get_object_or_404(Certificate.objects.select_related("case__candidate", "case__scheme", "scheme",
                                                                "case__event__site", "case__assessor__user"), pk=pk)
    mine = roles_for(request.user, cert.case)
    if Role.CANDIDATE not in mine and not mine & STAFF_ROLES:
        raise NotAllowed(_("Sertifikat hanya dapat diunduh oleh pemegangnya dan staf LSP."))
    if request.GET.get("layout") == "blanko":  # text only, for printing onto the BNSP blanko (staff)
        if not mine & STAFF_ROLES:
            raise NotAllowed(_("Cetak blanko hanya untuk staf LSP."))
        return pdf_response(rendering.render_blanko(cert), f"blanko-{cert.number.replace('/', '-')}.pdf")
    pdf = rendering.render_certificate(cert)  # PDF/A-2b, signed; marked when no longer valid
    return pdf_response(pdf, f"sertifikat-{cert.number.replace('/', '-')}.pdf")


@login_required
def surveillance_list(request):
    """Admin: holders under surveillance, with their next due check; filter due soon / overdue."""
    if not request.user.role_set() & {Role.ADMIN, Role.LSP_HEAD}:
        raise NotAllowed(_("Daftar surveilan hanya untuk admin LSP dan Ketua LSP."))
    today = timezone.localdate()
    qs = (Surveillance.objects.select_related("certificate__scheme", "certificate__case__candidate")
          .annotate(next_due=Min("checks__due_on", filter=Q(checks__done_on__isnull=True)))
          .order_by("next_due", "id"))
    q = get_search(request)
    if q:
        qs = qs.filter(Q(certificate__number__icontains=q) | Q(certificate__holder_name__icontains=q))
    due = request.GET.get("due", "")
    if due == "soon":
        qs = qs.filter(next_due__gte=today, next_due__lte=services.due_soon_limit())
    elif due == "overdue":
        qs = qs.filter(next_due__lt=today)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    for s in page.object_list:
        s.case_url = services.case_url(s.certificate.case)
    return render(request, "certification/surveillance_list.html", {
        "page": page, "q": q, "due": due, "today": today, "soon": services.due_soon_limit(),
        "trail": [(_("Surveilan"), None)],
    })


# --- public verification (no login) ----------------------------------------------------------------


def _public_certificate(public_id):
    cert = public.public_certificate(public_id)
    if cert is None:
        raise Http404(_("Sertifikat tidak ditemukan."))
    return cert


def _scan(request, certificate_id, channel):
    """Logged without a write here: kept in memory, written in bulk after responses (scanlog)."""
    scanlog.enqueue(certificate_id, ip=request.META.get("REMOTE_ADDR", ""),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""), channel=channel)


@require_GET
def verify(request, public_id):
    cert = _public_certificate(public_id)
    _scan(request, cert.pk, "html")
    return render(request, "certification/verify.html", {
        "cert": cert, "trail": [(_("Cek sertifikat"), reverse("certification:verify_form")), (cert.number, None)],
    })


# Anyone's script may read it (CORS); no cache keeps it: a status the LSP changes shows on the next look.
VERIFY_JSON_HEADERS = [("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*"),
                       ("Cache-Control", "no-store")]


def _verification_json(request, public_id):
    """The verification JSON of the certificate with this public_id (the look logged), or None."""
    if (found := public.verification(public_id)) is None:
        return None
    certificate_id, payload = found
    _scan(request, certificate_id, "json")
    return json.dumps(payload, ensure_ascii=False).encode()


@require_GET
def verify_json(request, public_id):
    body = _verification_json(request, public_id)
    if body is None:
        raise Http404(_("Sertifikat tidak ditemukan."))
    response = HttpResponse(body)
    for header, value in VERIFY_JSON_HEADERS:
        response[header] = value
    return response


def verify_json_lane(request, public_id):
    """verify_json's answer for the fast lane (core.fastlane, settings.KOMPETEN_FAST_LANES); None when there is
    no such certificate, and verify_json answers the 404."""
    body = _verification_json(request, public_id)
    return None if body is None else (body, VERIFY_JSON_HEADERS)


def verify_form(request):
    """Look-up by number (public). The number is sequential, so each address may look up at most
    KOMPETEN_LOOKUP_LIMIT numbers an hour: the register cannot be walked. The QR code and the verification
    link use the certificate's random public_id, which needs no look-up."""
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid() and not allow(request, "verify", settings.KOMPETEN_LOOKUP_LIMIT):
        form.add_error("number", _("Terlalu banyak pencarian dari alamat Anda. Coba lagi dalam satu jam, atau "
                                   "pindai kode QR pada sertifikat."))
        return render(request, "certification/verify_form.html",
                      {"form": form, "trail": [(_("Cek sertifikat"), None)]}, status=429)
    if form.is_bound and form.is_valid():
        number = form.cleaned_data["number"].strip()
        cert = Certificate.objects.filter(number=number).first()
        if cert:
            return redirect("certification:verify", public_id=cert.public_id)
        form.add_error("number", _("Sertifikat dengan nomor ini tidak ditemukan. Periksa kembali penulisan nomor "
                                   "(huruf besar, garis miring dan angka nol di depan)."))
    return render(request, "certification/verify_form.html", {"form": form, "trail": [(_("Cek sertifikat"), None)]})


# --- the digital credential, its status lists and the issuer's DID document (public, no login) ---------


def _public_json(text, content_type, filename=None):
    response = HttpResponse(text, content_type=content_type)
    response["Access-Control-Allow-Origin"] = "*"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def credential(request, public_id):
    """The certificate's Open Badges 3.0 credential, exactly as signed (for the holder's wallet)."""
    cert = _public_certificate(public_id)
    text = credentials.credential_of(cert).document
    return _public_json(text, credentials.MEDIA_TYPE, credentials.credential_filename(cert))


@require_GET
def status_list(request, purpose, number):
    """A signed Bitstring Status List (revocation or suspension), computed from the current statuses."""
    if not status_list_module.list_exists(purpose, number):
        raise Http404(_("Daftar status tidak ditemukan."))
    response = _public_json(status_list_module.list_credential_json(purpose, number), credentials.MEDIA_TYPE)
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def did_document(request):
    response = JsonResponse(did.did_document())
    response["Access-Control-Allow-Origin"] = "*"
    return response
