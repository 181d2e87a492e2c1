"""Personal API tokens: create (shown once, kept hashed), revoke, and find the token a request carries."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError

from .models import ApiToken

register_act_labels({
    "api_token_created": gettext_lazy("Membuat token API"),
    "api_token_revoked": gettext_lazy("Mencabut token API"),
})

TOKEN_START = "kpt_"
# Writing "last used" on every call would be one UPDATE per request: once a minute is enough to read.
LAST_USED_EVERY = timedelta(seconds=60)
MAX_ACTIVE_TOKENS = 20


def digest_of(plain):
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def create_token(user, *, name, scope):
    """The person makes a token for themselves. Returns (token, the plain token — shown once, never stored)."""
    name = (name or "").strip()
    if not name:
        raise WorkflowError(_("Beri nama token, misalnya nama aplikasi yang memakainya."),
                            field_errors={"name": [_("Nama wajib diisi.")]})
    if scope not in ApiToken.Scope.values:
        raise WorkflowError(_("Pilih cakupan token."), field_errors={"scope": [_("Pilih salah satu.")]})
    if ApiToken.objects.filter(user=user, revoked_at__isnull=True).count() >= MAX_ACTIVE_TOKENS:
        raise WorkflowError(_("Anda sudah memiliki %(n)s token aktif. Cabut token yang tidak dipakai lagi "
                              "sebelum membuat yang baru.") % {"n": MAX_ACTIVE_TOKENS})
    prefix = secrets.token_hex(4)
    plain = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name[:80], scope=scope, prefix=prefix,
                                        digest=digest_of(plain))
        log_action(user, "api_token_created", token, data={"name": token.name, "scope": scope, "prefix": prefix})
    return token, plain


def revoke_token(token, actor):
    """The token's owner revokes it; calls with it are refused from now on. Revoking twice changes nothing."""
    if token.user_id != actor.pk:
        raise NotAllowed(_("Token ini bukan milik Anda."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise WorkflowError(_("Token ini sudah dicabut."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        log_action(actor, "api_token_revoked", locked, data={"name": locked.name, "prefix": locked.prefix})
    token.refresh_from_db()
    return token


def tokens_of(user):
    return ApiToken.objects.filter(user=user).order_by("revoked_at", "-created_at", "-id")


def token_of(user, pk):
    return ApiToken.objects.filter(user=user, pk=pk).first()


def token_for_request(plain):
    """The active token `plain` names, with its (active) owner, or None. Notes when it was last used."""
    if not plain or not plain.startswith(TOKEN_START) or len(plain) > 200:
        return None
    token = (ApiToken.objects.select_related("user").filter(digest=digest_of(plain), revoked_at__isnull=True)
             .first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
