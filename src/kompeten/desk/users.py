"""The admin LSP's accounts and roles: every account with the roles it holds (searched, filtered, paged), and one
person's page where a role is given or removed — through core.roles, with a reason, logged on the person and
told to them. Nobody changes their own roles (the service refuses it)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, RoleAssignment, User
from kompeten.core.roles import grant_role, revoke_role
from kompeten.desk.user_forms import GrantRoleForm, RevokeRoleForm, UserFilterForm

ROLE_ACTS = ("grant_role", "revoke_role")


def _admin_only(user):
    if Role.ADMIN not in user.role_set():
        raise NotAllowed(_("Pengguna dan peran hanya dapat dikelola oleh Admin LSP."))


def _with_roles(qs):
    return qs.prefetch_related(Prefetch("roles", queryset=RoleAssignment.objects.select_related("site")
                                        .order_by("role", "pk")))


@login_required
def users(request):
    _admin_only(request.user)
    qs = _with_roles(User.objects.all())
    f = UserFilterForm(request.GET or None)
    if f.is_valid():
        q, role = f.cleaned_data["q"].strip(), f.cleaned_data["role"]
        if q:
            qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(email__icontains=q)
                           | Q(username__icontains=q))
        if role == "none":
            qs = qs.filter(roles__isnull=True)
        elif role:
            qs = qs.filter(roles__role=role).distinct()
    page = Paginator(qs.order_by("first_name", "last_name", "pk"), 20).get_page(request.GET.get("page"))
    return render(request, "desk/users.html", {
        "page": page, "filter": f, "filtered": any(request.GET.get(k) for k in ("q", "role")),
        "trail": [(_("Pengguna dan peran"), None)]})


@login_required
def user_roles(request, pk):
    _admin_only(request.user)
    person = get_object_or_404(_with_roles(User.objects.all()), pk=pk)
    grant, revoke, revoking = GrantRoleForm(prefix="grant"), RevokeRoleForm(prefix="revoke"), None
    if request.method == "POST" and request.POST.get("act") == "grant":
        grant = GrantRoleForm(request.POST, prefix="grant")
        if grant.is_valid():
            d = grant.cleaned_data
            try:
                grant_role(person, request.user, role=d["role"], reason=d["reason"], site=d["site"])
            except WorkflowError as exc:
                grant.add_workflow_errors(exc)
            else:
                messages.success(request, _("Peran %(role)s diberikan kepada %(name)s.")
                                 % {"role": Role(d["role"]).label, "name": person.display_name})
                return redirect("user_roles", person.pk)
    elif request.method == "POST" and request.POST.get("act") == "revoke":
        revoking = get_object_or_404(RoleAssignment, pk=request.POST.get("assignment") or 0, user=person)
        revoke = RevokeRoleForm(request.POST, prefix="revoke")
        if revoke.is_valid():
            try:
                revoke_role(person, request.user, role=revoking.role, reason=revoke.cleaned_data["reason"],
                            site=revoking.site)
            except WorkflowError as exc:
                revoke.add_workflow_errors(exc)
            else:
                messages.success(request, _("Peran %(role)s dicabut dari %(name)s.")
                                 % {"role": revoking.get_role_display(), "name": person.display_name})
                return redirect("user_roles", person.pk)
    return render(request, "desk/user_roles.html", {
        "person": person, "grant": grant, "revoke": revoke, "revoking": revoking,
        "is_self": person.pk == request.user.pk,
        "log": history(person).filter(act__in=ROLE_ACTS)[:30],
        "trail": [(_("Pengguna dan peran"), reverse("users")), (person.display_name, None)]},
        status=400 if request.method == "POST" else 200)  # only a refused or incomplete form comes back
