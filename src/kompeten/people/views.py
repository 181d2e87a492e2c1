"""Thin views: parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.people import services
from kompeten.people.forms import AssessorFilterForm, AssessorForm
from kompeten.people.history import assignments_of
from kompeten.people.models import Assessor

EXPIRING_DAYS = 90


def _require_staff(user):
    if not user.role_set() & {Role.ADMIN, Role.LSP_HEAD, Role.LEAD_ASSESSOR}:
        raise NotAllowed(_("Registri asesor hanya untuk Admin LSP, Ketua LSP dan lead asesor."))


@login_required
def assessor_list(request):
    _require_staff(request.user)
    today = timezone.localdate()
    qs = (Assessor.objects.select_related("user").prefetch_related("schemes")
          .annotate(n_events=Count("assignments", distinct=True)))
    f = AssessorFilterForm(request.GET or None)
    if f.is_valid():
        d = f.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(user__first_name__icontains=d["q"]) | Q(user__last_name__icontains=d["q"])
                           | Q(met_number__icontains=d["q"]) | Q(employer__icontains=d["q"]))
        if d["scheme"]:
            qs = qs.filter(schemes=d["scheme"])
        if d["validity"] == "valid":
            qs = qs.filter(is_active=True, registration_valid_until__gte=today)
        elif d["validity"] == "expiring":
            qs = qs.filter(is_active=True, registration_valid_until__gte=today,
                           registration_valid_until__lte=today + timezone.timedelta(days=EXPIRING_DAYS))
        elif d["validity"] == "expired":
            qs = qs.filter(Q(registration_valid_until__lt=today) | Q(is_active=False))
    page = Paginator(qs.order_by("user__first_name", "user__last_name", "id"), 20).get_page(request.GET.get("page"))
    return render(request, "people/assessor_list.html", {
        "page": page, "filter": f, "today": today, "soon": today + timezone.timedelta(days=EXPIRING_DAYS),
        "filtered": any(request.GET.get(k) for k in ("q", "scheme", "validity")),
        "can_edit": request.user.has_role(Role.ADMIN),
        "trail": [(_("Registri asesor"), None)]})


@login_required
def assessor_detail(request, pk):
    _require_staff(request.user)
    assessor = get_object_or_404(
        Assessor.objects.select_related("user").prefetch_related("schemes"), pk=pk)
    today = timezone.localdate()
    return render(request, "people/assessor_detail.html", {
        "assessor": assessor, "valid": assessor.registration_valid(today), "today": today,
        "assignments": assignments_of(assessor), "log": history(assessor)[:10],
        "invitation_pending": not assessor.user.has_usable_password(),
        "can_edit": request.user.has_role(Role.ADMIN),
        "trail": [(_("Registri asesor"), reverse("people:assessors")), (assessor.name, None)]})


def _require_admin(user):
    if not user.has_role(Role.ADMIN):
        raise NotAllowed(_("Registri asesor hanya boleh diubah oleh: Admin LSP."))


@login_required
def assessor_create(request):
    _require_admin(request.user)
    form = AssessorForm(request.POST or None, initial={"valid_until": timezone.localdate() + timezone.timedelta(days=365 * 3)})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assessor = services.register_assessor(
                request.user, email=d["email"], full_name=d["full_name"], met_number=d["met_number"],
                scheme_ids=[s.pk for s in d["schemes"]], valid_until=d["valid_until"], employer=d["employer"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            if assessor.invited:
                messages.success(request, _("%(name)s terdaftar sebagai asesor. Undangan untuk mengatur kata sandi "
                                            "dikirim ke %(email)s.") % {"name": assessor.name, "email": assessor.user.email})
            else:
                messages.success(request, _("%(name)s terdaftar sebagai asesor.") % {"name": assessor.name})
            return redirect(assessor)
    return render(request, "people/assessor_form.html", {
        "form": form, "assessor": None,
        "trail": [(_("Registri asesor"), reverse("people:assessors")), (_("Daftarkan asesor"), None)]})


@login_required
def assessor_edit(request, pk):
    _require_admin(request.user)
    assessor = get_object_or_404(Assessor.objects.select_related("user"), pk=pk)
    form = AssessorForm(request.POST or None, editing=True, record=assessor, initial={
        "full_name": assessor.user.get_full_name(), "met_number": assessor.met_number,
        "schemes": list(assessor.schemes.all()), "valid_until": assessor.registration_valid_until,
        "employer": assessor.employer, "is_active": assessor.is_active})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.update_assessor(assessor, request.user, full_name=d["full_name"], met_number=d["met_number"],
                                     scheme_ids=[s.pk for s in d["schemes"]], valid_until=d["valid_until"],
                                     employer=d["employer"], is_active=d["is_active"], version=form.take_version())
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Data asesor disimpan."))
            return redirect(assessor)
    return render(request, "people/assessor_form.html", {
        "form": form, "assessor": assessor,
        "trail": [(_("Registri asesor"), reverse("people:assessors")), (assessor.name, assessor.get_absolute_url()),
                  (_("Ubah"), None)]})


@login_required
@require_POST
def assessor_invite(request, pk):
    assessor = get_object_or_404(Assessor.objects.select_related("user"), pk=pk)
    services.resend_invitation(assessor, request.user)
    messages.success(request, _("Undangan dikirim ulang ke %(email)s.") % {"email": assessor.user.email})
    return redirect(assessor)
