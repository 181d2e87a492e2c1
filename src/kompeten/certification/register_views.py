"""Thin views of the certificate's status acts, the staff's certificate register (with XLSX export), the public
register and the blanko layout per scheme."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from kompeten.cases.workflow import ACTS, check
from kompeten.catalog.selectors import all_schemes, schemes_by_ids
from kompeten.core import tabular
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.ratelimit import allow

from . import register, rendering, status, surveillance
from .forms import BlankoLayoutForm, PublicRegisterForm, StatusActForm
from .models import Certificate

REGISTER_ROLES = {Role.ADMIN, Role.LSP_HEAD}


def _staff(request):
    if not request.user.role_set() & REGISTER_ROLES:
        raise NotAllowed(_("Register sertifikat hanya untuk Admin LSP dan Ketua LSP."))


@login_required
def staff_register(request):
    """Every certificate: search, filters (scheme, status, year, expiring within N days), paging, XLSX."""
    _staff(request)
    filters = register.staff_filters(request.GET)
    qs = register.staff_register(filters)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(register.export_xlsx(qs), content_type="application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="register-sertifikat-{stamp}.xlsx"'
        return response
    if request.GET.get("format") == "csv":
        return tabular.download(register.XLSX_COLUMNS, register.export_rows(qs), "csv",
                                f"register-sertifikat-{timezone.localdate().isoformat()}")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "certification/register.html", {
        "page": page, "f": filters, "schemes": all_schemes(), "years": register.issue_years(),
        "statuses": [(s, Certificate.Status(s).label) for s in register.STATUS_FILTERS],
        "filtered": any(filters.values()), "trail": [(_("Register sertifikat"), None)],
    })


STATUS_TEXTS = {
    "suspend_certificate": _("Sertifikat yang dibekukan tidak boleh digunakan sampai diberlakukan kembali. Halaman "
                             "verifikasi, JSON, daftar status kredensial dan setiap PDF yang diunduh sesudahnya "
                             "langsung menunjukkan statusnya."),
    "reinstate_certificate": _("Sertifikat berlaku kembali; pemegang diberi tahu."),
    "withdraw_certificate": _("Pencabutan bersifat final: sertifikat tidak dapat diberlakukan kembali. Pemegang wajib "
                              "mengembalikan sertifikat."),
}


@login_required
def change_status(request, pk, code):
    """Suspend, reinstate or withdraw (the act's own page: a required reason)."""
    if code not in status.ACTS:
        raise Http404
    cert = get_object_or_404(Certificate.objects.select_related("case__candidate", "scheme"), pk=pk)
    case = cert.case
    check(request.user, case, code)
    # Opened from a surveillance check proposed for suspension (?check=<id>): the proposal fills the form.
    proposal = (surveillance.proposed_check(cert, request.GET.get("check") or request.POST.get("check"))
                if code != "reinstate_certificate" else None)
    initial = surveillance.suspension_prefill(proposal) if proposal else None
    form = StatusActForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            status.change_status(case, request.user, code, reason=form.cleaned_data["reason"],
                                 public_note=form.cleaned_data["public_note"])
            messages.success(request, _("%(act)s: %(number)s. Pemegang sertifikat diberi tahu.")
                             % {"act": ACTS[code].label, "number": cert.number})
            return redirect(surveillance.check_url(proposal) if proposal else case.get_absolute_url())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
    trail = ([(_("Surveilan"), reverse("certification:surveillance_checks")),
              (_("Surveilan ke-%(n)s") % {"n": proposal.order}, surveillance.check_url(proposal))] if proposal
             else [(_("Register sertifikat"), reverse("certification:register"))])
    return render(request, "certification/status_act.html", {
        "cert": cert, "case": case, "act": ACTS[code], "form": form, "text": STATUS_TEXTS[code],
        "ask_public": code != "reinstate_certificate", "proposal": proposal,
        "cancel_url": surveillance.check_url(proposal) if proposal else case.get_absolute_url(),
        "trail": [*trail, (cert.number, None)],
    })


@require_GET
def public_register(request):
    """Anyone: search the register by certificate number or holder name (≥ 3 letters); rate-limited per
    address like the look-up by number."""
    form = PublicRegisterForm(request.GET or None)
    results, problem, status_code = None, None, 200
    if form.is_bound and form.is_valid():
        if not allow(request, "verify", settings.KOMPETEN_LOOKUP_LIMIT):
            form.add_error("q", _("Terlalu banyak pencarian dari alamat Anda. Coba lagi dalam satu jam, atau "
                                  "pindai kode QR pada sertifikat."))
            status_code = 429
        else:
            results, problem = register.public_search(form.cleaned_data["q"])
            if problem == "short":
                form.add_error("q", _("Tulis paling sedikit 3 huruf nama pemegang, atau nomor sertifikat lengkap."))
                results = None
    return render(request, "certification/public_register.html", {
        "form": form, "results": results, "trail": [(_("Register sertifikat publik"), None)],
    }, status=status_code)


@login_required
def blanko_layouts(request):
    """Admin: the blanko margins of every scheme; Ketua LSP may look."""
    _staff(request)
    schemes = list(all_schemes())
    return render(request, "certification/blanko_layouts.html", {
        "rows": [(s, rendering.blanko_layout(s)) for s in schemes],
        "can_edit": Role.ADMIN in request.user.role_set(), "trail": [(_("Tata letak blanko"), None)],
    })


@login_required
def blanko_layout_edit(request, scheme_pk):
    if Role.ADMIN not in request.user.role_set():
        raise NotAllowed(_("Tata letak blanko hanya dapat diubah oleh Admin LSP."))
    scheme = schemes_by_ids([scheme_pk]).first()
    if scheme is None:
        raise Http404(_("Skema tidak ditemukan."))
    layout = rendering.blanko_layout(scheme)
    form = BlankoLayoutForm(request.POST if request.method == "POST" else None, instance=layout)
    if request.method == "POST" and form.is_valid():
        rendering.save_blanko_layout(scheme, request.user,
                                     **{k: form.cleaned_data[k] for k in BlankoLayoutForm.Meta.fields})
        messages.success(request, _("Tata letak blanko untuk %(scheme)s disimpan.") % {"scheme": scheme.title})
        return redirect("certification:blanko_layouts")
    return render(request, "certification/blanko_layout_form.html", {
        "scheme": scheme, "form": form,
        "trail": [(_("Tata letak blanko"), reverse("certification:blanko_layouts")), (scheme.title, None)],
    })
