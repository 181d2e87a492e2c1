"""Thin views: parse, call the service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.catalog import brochure, services
from kompeten.catalog.forms import SchemeFileForm, SchemeFilterForm, SchemeForm
from kompeten.catalog.models import Element, Requirement, Scheme, Unit
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.inputs import get_int, get_search


def scheme_list(request):
    """S1.1 the public catalogue: active schemes with search and filters."""
    schemes = Scheme.objects.filter(is_active=True)
    q = get_search(request)
    if q:
        schemes = schemes.filter(Q(title__icontains=q) | Q(number__icontains=q) | Q(units__code__icontains=q)
                                 | Q(units__title__icontains=q)).distinct()
    type_ = request.GET.get("type", "")
    if type_ in Scheme.Type.values:
        schemes = schemes.filter(type=type_)
    level = get_int(request, "level", max_value=32767)
    if level is not None:
        schemes = schemes.filter(kkni_level=level)
    level = "" if level is None else str(level)
    sector = get_search(request, "sector", max_length=200)
    if sector:
        schemes = schemes.filter(sector=sector)
    schemes = schemes.annotate(unit_count=Count("units", distinct=True)).order_by("title")
    page = Paginator(schemes, 20).get_page(request.GET.get("page"))
    active = Scheme.objects.filter(is_active=True)
    return render(request, "catalog/list.html", {
        "page": page, "q": q, "type": type_, "level": level, "sector": sector, "types": Scheme.Type.choices,
        "levels": list(active.exclude(kkni_level=None).values_list("kkni_level", flat=True).distinct()
                       .order_by("kkni_level")),
        "sectors": list(active.exclude(sector="").values_list("sector", flat=True).distinct().order_by("sector")),
        "filtered": bool(q or type_ or level or sector),
        "trail": [(_("Skema sertifikasi"), None)],
    })


def scheme_detail(request, code):
    """S1.1 the brochure of one scheme."""
    scheme = get_object_or_404(
        Scheme.objects.prefetch_related(
            Prefetch("units", queryset=Unit.objects.prefetch_related(
                Prefetch("elements", queryset=Element.objects.prefetch_related("criteria")))),
            Prefetch("requirements", queryset=Requirement.objects.order_by("order", "id"))),
        code=code, is_active=True)
    reqs = list(scheme.requirements.all())
    return render(request, "catalog/scheme.html", {
        "scheme": scheme, "units": scheme.units.all(),
        "basic": [r for r in reqs if r.kind == Requirement.Kind.BASIC],
        "administrative": [r for r in reqs if r.kind == Requirement.Kind.ADMINISTRATIVE],
        "events": brochure.upcoming_events(scheme), "open_case": brochure.open_case(request.user, scheme),
        "start_url": reverse("cases:start", args=[scheme.code]),
        "trail": [(_("Skema sertifikasi"), reverse("catalog:list")), (scheme.title, None)],
    })


# --- master data: the staff's scheme screens -----------------------------------------------------------


def _require_viewer(user):
    if not services.may_view_master_data(user):
        raise NotAllowed(_("Data induk skema hanya untuk Admin LSP dan Ketua LSP."))


def _require_editor(user):
    if not services.may_edit_master_data(user):
        raise NotAllowed(_("Data induk hanya boleh diubah oleh: Admin LSP."))


@login_required
def manage_list(request):
    """Every scheme, active or not, for the staff: search, filter, page; links to edit and to the brochure."""
    _require_viewer(request.user)
    schemes = Scheme.objects.all()
    f = SchemeFilterForm(request.GET or None)
    if f.is_valid():
        d = f.cleaned_data
        if d["q"]:
            schemes = schemes.filter(Q(title__icontains=d["q"]) | Q(number__icontains=d["q"])
                                     | Q(units__code__icontains=d["q"])).distinct()
        if d["type"]:
            schemes = schemes.filter(type=d["type"])
        if d["status"]:
            schemes = schemes.filter(is_active=d["status"] == "active")
    schemes = schemes.annotate(unit_count=Count("units", distinct=True)).order_by("title", "id")
    page = Paginator(schemes, 20).get_page(request.GET.get("page"))
    return render(request, "catalog/manage_list.html", {
        "page": page, "filter": f, "filtered": any(request.GET.get(k) for k in ("q", "type", "status")),
        "can_edit": services.may_edit_master_data(request.user),
        "trail": [(_("Data induk skema"), None)]})


def _units_summary(scheme):
    """The scheme's units with element and KUK counts (two queries, whatever the size)."""
    return list(scheme.units.annotate(n_elements=Count("elements", distinct=True),
                                      n_criteria=Count("elements__criteria")).order_by("order", "id"))


@login_required
def scheme_create(request):
    _require_editor(request.user)
    form = SchemeForm(request.POST or None, initial={"is_active": False})
    if request.method == "POST" and form.is_valid():
        values, reqs = form.service_values()
        try:
            scheme = services.save_scheme(request.user, **values, **reqs)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Skema dibuat. Unggah berkas skema untuk memuat unit, elemen dan KUK."))
            return redirect("catalog:edit", code=scheme.code)
    return render(request, "catalog/scheme_form.html", {
        "form": form, "file_form": SchemeFileForm(), "scheme": None,
        "trail": [(_("Data induk skema"), reverse("catalog:manage")), (_("Skema baru"), None)]})


@login_required
def scheme_edit(request, code):
    _require_editor(request.user)
    scheme = get_object_or_404(Scheme, code=code)
    frozen = scheme.cases.exists()
    form = SchemeForm(request.POST or None, instance=scheme, frozen=frozen)
    if request.method == "POST" and form.is_valid():
        version = form.take_version()
        values, reqs = form.service_values()
        try:
            scheme = services.save_scheme(request.user, scheme, **values, **reqs, version=version)
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Perubahan skema disimpan."))
            return redirect("catalog:edit", code=scheme.code)
    scheme.refresh_from_db()
    return _edit_page(request, scheme, form, SchemeFileForm(), frozen)


def _edit_page(request, scheme, form, file_form, frozen, status=200):
    return render(request, "catalog/scheme_form.html", {
        "form": form, "file_form": file_form, "scheme": scheme, "frozen": frozen,
        "units": _units_summary(scheme), "log": history(scheme)[:10],
        "trail": [(_("Data induk skema"), reverse("catalog:manage")), (scheme.title, None)]}, status=status)


@login_required
def scheme_file(request, code=None):
    """Upload the scheme file: for a scheme (code given: its units, elements, KUK) or a new scheme."""
    _require_editor(request.user)
    scheme = get_object_or_404(Scheme, code=code) if code else None
    file_form = SchemeFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and file_form.is_valid():
        upload = file_form.cleaned_data["file"]
        try:
            loaded = services.upload_scheme_file(request.user, upload.read(), upload.name, scheme=scheme)
        except WorkflowError as exc:
            file_form.add_workflow_errors(exc)
        else:
            s = loaded.load_summary
            messages.success(request, _("Berkas skema dimuat: %(units)s unit, %(elements)s elemen, %(criteria)s KUK.")
                             % {"units": s["units"], "elements": s["elements"], "criteria": s["criteria"]})
            return redirect("catalog:edit", code=loaded.code)
    if scheme is None:
        return render(request, "catalog/scheme_upload.html", {
            "file_form": file_form,
            "trail": [(_("Data induk skema"), reverse("catalog:manage")), (_("Muat dari berkas"), None)]},
            status=400 if request.method == "POST" else 200)
    frozen = scheme.cases.exists()
    return _edit_page(request, scheme, SchemeForm(instance=scheme, frozen=frozen), file_form, frozen,
                      status=400 if request.method == "POST" else 200)
