"""The second factor for staff (issue 12): admin, committee, Ketua LSP and lead assessors confirm each log-in with a
TOTP code from an authenticator app (django-otp's TOTPDevice), or once with one of ten recovery codes (stored as
hashes, each used once). `KOMPETEN_MFA_REQUIRED` (on by default) switches the requirement.

A verified session carries the user's id under SESSION_KEY; the middleware sends a staff person without it to
enrol (no confirmed device yet) or to verify, except on the pages needed to do so."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.models import RecoveryCode, Role
from kompeten.core.sessionless import is_sessionless

SESSION_KEY = "kompeten_mfa_user"
STAFF_ROLES = {Role.ADMIN, Role.COMMITTEE, Role.LSP_HEAD, Role.LEAD_ASSESSOR}
RECOVERY_CODES = 10
# Pages a staff person must reach before the second factor (plus static files and the health check).
EXEMPT_URL_NAMES = ("login", "logout", "mfa_setup", "mfa_verify", "set_language", "health")

register_act_labels({"mfa_enrolled": _("Faktor kedua didaftarkan"),
                     "mfa_failed": _("Kode faktor kedua yang salah dimasukkan"),
                     "mfa_recovery_used": _("Kode pemulihan dipakai")})


def required():
    return getattr(settings, "KOMPETEN_MFA_REQUIRED", True)


def needs_second_factor(user):
    return bool(getattr(user, "is_authenticated", False) and user.role_set() & STAFF_ROLES)


def is_verified(session, user):
    return session.get(SESSION_KEY) == user.pk


def mark_verified(session, user):
    session[SESSION_KEY] = user.pk


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user):
    """The device being enrolled (created on first visit of the enrolment page, confirmed by a first code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Kompeten", confirmed=False)


def otpauth_uri(device):
    return device.config_url


def _hash(code):
    normal = "".join(ch for ch in code.upper() if ch.isalnum())
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def _new_codes():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return ["-".join("".join(secrets.choice(alphabet) for _ in range(5)) for _ in range(2))
            for _ in range(RECOVERY_CODES)]


def _digits(code):
    code = (code or "").strip().replace(" ", "")
    return code if code.isascii() and code.isdigit() and len(code) == 6 else None


def confirm_enrolment(user, code):
    """Confirms the pending device with a first code; returns the ten recovery codes (shown once) or None."""
    device = pending_device(user)
    digits = _digits(code)
    if not digits or not device.verify_token(digits):
        log_action(user, "mfa_failed", user, data={"step": "enrol"})
        return None
    codes = _new_codes()
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(c)) for c in codes)
        log_action(user, "mfa_enrolled", user)
    return codes


def verify(user, code):
    """True when `code` is the current TOTP code or an unused recovery code (then used up). Failures logged."""
    device = confirmed_device(user)
    digits = _digits(code)
    if device and digits and device.verify_token(digits):
        return True
    if code and not digits:
        with transaction.atomic():
            used = (RecoveryCode.objects.select_for_update()
                    .filter(user=user, code_hash=_hash(code), used_at__isnull=True).first())
            if used:
                used.used_at = timezone.now()
                used.save(update_fields=["used_at"])
                left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
                log_action(user, "mfa_recovery_used", user, data={"left": left})
                return True
    log_action(user, "mfa_failed", user, data={"step": "verify"})
    return False


class StaffSecondFactorMiddleware:
    """Sends a staff person whose session has no verified second factor to enrol or verify. Checked once the
    view is known (`process_view`); a @sessionless view (core.sessionless) authenticates by its own means,
    which a staff person cannot have obtained without passing here, and is not checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not required() or is_sessionless(request):
            return None
        user = getattr(request, "user", None)
        if needs_second_factor(user) and not is_verified(request.session, user):
            match = getattr(request, "resolver_match", None)
            static = request.path_info.startswith("/" + settings.STATIC_URL.lstrip("/"))
            if not static and not (match and match.view_name in EXEMPT_URL_NAMES):
                target = "mfa_verify" if confirmed_device(user) else "mfa_setup"
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return None
