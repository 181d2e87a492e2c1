"""Thin views: parse, call the service, render."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompeten.core.errors import NotAllowed
from kompeten.core.models import Role
from kompeten.people.forms import AssessorFilterForm
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
        "can_edit": request.user.has_role(Role.ADMIN) and request.user.is_staff,
        "trail": [(_("Registri asesor"), None)]})


@login_required
def assessor_detail(request, pk):
    _require_staff(request.user)
    assessor = get_object_or_404(
        Assessor.objects.select_related("user").prefetch_related("schemes"), pk=pk)
    today = timezone.localdate()
    return render(request, "people/assessor_detail.html", {
        "assessor": assessor, "valid": assessor.registration_valid(today), "today": today,
        "assignments": assignments_of(assessor),
        "can_edit": request.user.has_role(Role.ADMIN) and request.user.is_staff,
        "trail": [(_("Registri asesor"), reverse("people:assessors")), (assessor.name, None)]})
