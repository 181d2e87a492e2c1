"""Thin views: parse, call the service, render."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.catalog import brochure
from kompeten.catalog.models import Element, Requirement, Scheme, Unit
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
