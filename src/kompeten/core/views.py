import base64
import io
import mimetypes

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from kompeten.core import mfa
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.forms import LspProfileForm, MfaCodeForm, RegisterForm
from kompeten.core.lsp import lsp_profile
from kompeten.core.middleware import use_chosen_language
from kompeten.core.models import Role
from kompeten.core.services import PROFILE_FIELDS, register_candidate, update_lsp_profile


def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user = register_candidate(full_name=d["full_name"], email=d["email"], password=d["password"],
                                      phone=d["phone"])
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
            return render(request, "registration/register.html", {"form": form, "trail": [(_("Daftar"), None)]})
        login(request, user, backend="kompeten.core.auth.EmailOrUsernameBackend")
        nxt = request.GET.get("next")
        if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
            messages.success(request, _("Akun Anda sudah dibuat. Silakan lanjutkan permohonan Anda."))
            return redirect(nxt)
        messages.success(request, _("Akun Anda sudah dibuat. Pilih skema sertifikasi untuk mulai mengajukan permohonan."))
        return redirect("catalog:list")
    trail = [(_("Daftar"), None)]
    return render(request, "registration/register.html", {"form": form, "trail": trail})


def set_language(request):
    """The language switcher: Django's set_language (cookie, redirect), and for a logged-in person the
    choice is kept on their account, so it follows them to every device and into their notices."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.method == "POST" and request.user.is_authenticated and language in dict(settings.LANGUAGES) \
            and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def forbidden(request, exception=None):
    message = getattr(exception, "message", None) or (str(exception) if exception and str(exception) else "")
    return render(request, "403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    # The page shows the person's menu, so the account is loaded anyway: its language, as on every page.
    use_chosen_language(request)
    return render(request, "404.html", status=404)


@login_required
def edit_lsp_profile(request):
    """Admin LSP: who the LSP is and how to reach it, shown on the public home page and in the top bar."""
    if Role.ADMIN not in request.user.role_set():
        raise NotAllowed(_("Profil LSP hanya dapat diubah oleh Admin LSP."))
    profile = lsp_profile()
    initial = {f: getattr(profile, f) for f in PROFILE_FIELDS}
    form = LspProfileForm(request.POST or None, request.FILES or None, initial=initial, record=profile)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            update_lsp_profile(request.user, logo=d["logo"], remove_logo=d["remove_logo"],
                               version=form.take_version(), **{f: d[f] for f in PROFILE_FIELDS})
        except WorkflowError as exc:
            form.add_workflow_errors(exc)
        else:
            messages.success(request, _("Profil LSP tersimpan. Halaman depan sudah memakai data baru."))
            return redirect("lsp_profile")
    trail = [(_("Profil LSP"), None)]
    return render(request, "core/lsp_profile.html", {"form": form, "profile": profile, "trail": trail})


def lsp_logo(request):
    """The LSP's logo is public (home page, top bar); it is kept with the private files, so served here."""
    profile = lsp_profile()
    if not profile.logo:
        raise Http404
    try:
        handle = profile.logo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(profile.logo.name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response


def _next_url(request):
    back = request.GET.get("next") or request.POST.get("next") or ""
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}) and back.startswith("/"):
        return back
    return reverse("home")


@login_required
def mfa_setup(request):
    """Staff: enrol an authenticator app (QR code), confirm it with a first code, see the recovery codes once."""
    if not mfa.needs_second_factor(request.user):
        raise NotAllowed(_("Faktor kedua hanya diperlukan untuk Admin LSP, komite, Ketua LSP dan lead asesor."))
    if mfa.confirmed_device(request.user) and not mfa.is_verified(request.session, request.user):
        return redirect(f"{reverse('mfa_verify')}?next={_next_url(request)}")
    device = mfa.pending_device(request.user)
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(request.user, form.cleaned_data["code"])
        if codes:
            mfa.mark_verified(request.session, request.user)
            return render(request, "core/mfa_codes.html", {"codes": codes, "next": _next_url(request),
                                                           "trail": [(_("Faktor kedua"), None)]})
        form.add_error("code", _("Kode tidak cocok. Periksa jam di ponsel Anda dan masukkan kode yang sedang tampil."))
    buf = io.BytesIO()
    segno.make(mfa.otpauth_uri(device), error="m").save(buf, kind="svg", border=2, scale=5, xmldecl=False,
                                                         svgns=True, title=_("Kode QR aplikasi autentikator"))
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(request, "core/mfa_setup.html", {"form": form, "qr": mark_safe(buf.getvalue().decode()),
                                                   "secret": secret, "next": _next_url(request),
                                                   "trail": [(_("Faktor kedua"), None)]})


@login_required
def mfa_verify(request):
    """Staff: after the password, the code from the authenticator app (or one recovery code)."""
    if not mfa.needs_second_factor(request.user):
        return redirect(_next_url(request))
    if not mfa.confirmed_device(request.user):
        return redirect(f"{reverse('mfa_setup')}?next={_next_url(request)}")
    form = MfaCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request.user, form.cleaned_data["code"]):
            mfa.mark_verified(request.session, request.user)
            return redirect(_next_url(request))
        form.add_error("code", _("Kode salah atau sudah dipakai."))
    return render(request, "core/mfa_verify.html", {"form": form, "next": _next_url(request),
                                                    "trail": [(_("Faktor kedua"), None)]})
