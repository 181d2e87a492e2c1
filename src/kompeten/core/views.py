from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from kompeten.cases.deadlines import due
from kompeten.cases.models import Case
from kompeten.cases.queues import ESCAPES, work_for
from kompeten.cases.workflow import allowed_acts, next_steps
from kompeten.catalog.models import Scheme
from kompeten.core.forms import RegisterForm
from kompeten.core.models import Role
from kompeten.core.services import register_candidate


def home(request):
    if not request.user.is_authenticated:
        schemes = Scheme.objects.filter(is_active=True).order_by("title")[:6]
        return render(request, "core/landing.html", {"schemes": schemes})

    sections = work_for(request.user)
    notifications = request.user.notifications.filter(read_at__isnull=True)[:5]
    # A candidate always sees where each of their applications stands and who acts next, even when it is
    # not their turn.
    mine = [(case, next_steps(case), [(a, due(case, a)) for a in allowed_acts(request.user, case)
                                      if a.code not in ESCAPES])
            for case in Case.objects.filter(candidate=request.user).select_related("scheme", "event")
            .order_by("-updated_at")[:10]]
    if mine:  # their own list below says it all; no second "as candidate" section
        sections = [(role, items) for role, items in sections if role != Role.CANDIDATE]
    return render(request, "core/home.html", {"sections": sections, "notifications": notifications,
                                              "my_cases": mine})


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = register_candidate(full_name=d["full_name"], email=d["email"], password=d["password"],
                                  phone=d["phone"])
        login(request, user, backend="kompeten.core.auth.EmailOrUsernameBackend")
        nxt = request.GET.get("next")
        if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
            messages.success(request, _("Akun Anda sudah dibuat. Silakan lanjutkan permohonan Anda."))
            return redirect(nxt)
        messages.success(request, _("Akun Anda sudah dibuat. Pilih skema sertifikasi untuk mulai mengajukan permohonan."))
        return redirect("catalog:list")
    trail = [(_("Daftar"), None)]
    return render(request, "registration/register.html", {"form": form, "trail": trail})


@login_required
def inbox(request):
    page = Paginator(request.user.notifications.all(), 20).get_page(request.GET.get("page"))
    if request.method == "POST":
        request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("inbox")
    return render(request, "core/inbox.html", {"page": page})


@login_required
def open_notification(request, pk):
    n = get_object_or_404(request.user.notifications, pk=pk)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    return redirect(n.url or "inbox")


def forbidden(request, exception=None):
    message = getattr(exception, "message", None) or (str(exception) if exception and str(exception) else "")
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)
