"""Thin views: parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.core.actions import history
from kompeten.core.dates import format_date
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.sites import services
from kompeten.sites.forms import SiteFilterForm, SiteForm, VerifyForm
from kompeten.sites.models import Site

STAFF = {Role.ADMIN, Role.LSP_HEAD, Role.LEAD_ASSESSOR}


def _sites_for(user):
    if user.role_set() & STAFF:
        return Site.objects.all()
    if Role.TUK_HEAD in user.role_set():
        return Site.objects.filter(role_assignments__user=user, role_assignments__role=Role.TUK_HEAD).distinct()
    raise NotAllowed(_("Data TUK hanya untuk staf LSP dan Ketua TUK."))


@login_required
def site_list(request):
    today = timezone.localdate()
    qs = _sites_for(request.user).select_related("head").prefetch_related("schemes")
    f = SiteFilterForm(request.GET or None)
    if f.is_valid():
        d = f.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(code__icontains=d["q"]) | Q(name__icontains=d["q"]) | Q(city__icontains=d["q"]))
        if d["type"]:
            qs = qs.filter(type=d["type"])
        if d["verified"] == "yes":
            qs = qs.filter(is_active=True, verified_until__gte=today)
        elif d["verified"] == "no":
            qs = qs.filter(Q(verified_until__isnull=True) | Q(verified_until__lt=today) | Q(is_active=False))
    page = Paginator(qs.order_by("name", "id"), 20).get_page(request.GET.get("page"))
    return render(request, "sites/list.html", {
        "page": page, "filter": f, "today": today,
        "filtered": any(request.GET.get(k) for k in ("q", "type", "verified")),
        "can_add": request.user.has_role(Role.ADMIN),
        "trail": [(_("TUK"), None)]})


@login_required
def site_detail(request, pk):
    site = get_object_or_404(_sites_for(request.user).select_related("head").prefetch_related("schemes"), pk=pk)
    verifications = site.verifications.select_related("verified_by").prefetch_related("schemes")[:20]
    events = site.events.select_related("scheme").order_by("-starts_at")[:10]
    return render(request, "sites/detail.html", {
        "site": site, "verified": site.is_verified(), "verifications": verifications, "events": events,
        "can_verify": request.user.has_role(Role.ADMIN), "log": history(site)[:20],
        "trail": [(_("TUK"), reverse("sites:list")), (site.name, None)]})


@login_required
def verify(request, pk):
    if not request.user.has_role(Role.ADMIN):
        raise NotAllowed(_("Verifikasi TUK hanya boleh dilakukan oleh: Admin LSP."))
    site = get_object_or_404(Site, pk=pk)
    initial = {"schemes": list(site.schemes.all())}
    form = VerifyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.verify_site(site, request.user, items=form.items(), verified_until=d["verified_until"],
                                          scheme_ids=[s.pk for s in d["schemes"]], note=d["note"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            if record.passed:
                messages.success(request, _("Verifikasi dicatat. TUK layak sampai %(d)s.")
                                 % {"d": format_date(record.verified_until)})
            else:
                messages.warning(request, _("Verifikasi dicatat: TUK belum layak dan tidak dapat ditetapkan untuk "
                                            "jadwal sampai diverifikasi ulang."))
            return redirect(site)
    return render(request, "sites/verify.html", {
        "site": site, "form": form,
        "trail": [(_("TUK"), reverse("sites:list")), (site.name, site.get_absolute_url()),
                  (_("Verifikasi"), None)]})


def _require_admin(user):
    if not user.has_role(Role.ADMIN):
        raise NotAllowed(_("Data TUK hanya boleh diubah oleh: Admin LSP."))


@login_required
def site_create(request):
    return _site_form(request, None)


@login_required
def site_edit(request, pk):
    return _site_form(request, get_object_or_404(Site.objects.select_related("head"), pk=pk))


def _site_form(request, site):
    _require_admin(request.user)
    form = SiteForm(request.POST or None, instance=site)
    if request.method == "POST" and form.is_valid():
        try:
            version = form.take_version()
            saved = services.save_site(request.user, site, **form.cleaned_data, version=version)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            if site is None:
                messages.success(request, _("TUK dibuat. Verifikasi fasilitasnya sebelum ditetapkan pada jadwal."))
            else:
                messages.success(request, _("Data TUK disimpan."))
            return redirect(saved)
    if site is not None:
        site.refresh_from_db()
    trail = [(_("TUK"), reverse("sites:list"))]
    trail += [(site.name, site.get_absolute_url()), (_("Ubah"), None)] if site else [(_("TUK baru"), None)]
    return render(request, "sites/site_form.html", {"form": form, "site": site, "trail": trail})
