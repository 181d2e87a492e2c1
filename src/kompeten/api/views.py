"""The person's API tokens: make one (shown once), see when each was last used, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kompeten.core.errors import WorkflowError

from . import services
from .forms import TokenForm


def _page(request, form, *, new_token=None, new_plain=None, status=200):
    return render(request, "api/tokens.html", {
        "form": form, "tokens": services.tokens_of(request.user), "new_token": new_token, "new_plain": new_plain,
        "docs_url": reverse("api:openapi-view"), "trail": [(_("Token API"), None)],
    }, status=status)


@login_required
def tokens(request):
    if request.method != "POST":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, plain = services.create_token(request.user, name=form.cleaned_data["name"],
                                                 scope=form.cleaned_data["scope"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            # Not a redirect: the token is shown on this one response and never again.
            return _page(request, TokenForm(), new_token=token, new_plain=plain)
    return _page(request, form, status=400)


@login_required
@require_POST
def revoke(request, pk):
    token = services.token_of(request.user, pk)
    if token is None:
        raise Http404
    try:
        services.revoke_token(token, request.user)
    except WorkflowError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Token “%(name)s” dicabut. Panggilan dengan token ini ditolak mulai sekarang.")
                         % {"name": token.name})
    return redirect("apitokens:list")


def api_not_found(request):
    """Any address under /api/ the API does not have: 404 as a problem document (RFC 9457)."""
    from .problems import problem

    return problem(404, _("Alamat API ini tidak ada. Daftar alamat: /api/docs."))
