"""Acts on people and accounts."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.lsp import lsp_profile
from kompeten.core.models import Role, RoleAssignment

register_act_labels({"register_candidate": _("Mendaftar sebagai asesi"),
                     "update_lsp_profile": _("Memperbarui profil LSP")})

PROFILE_FIELDS = ("name", "licence_number", "description", "address", "phone", "email", "website")


def register_candidate(*, full_name, email, password, phone=""):
    """Anyone may register themselves as a candidate. Creates the user with the candidate role."""
    first, _sep, last = full_name.strip().partition(" ")
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=email.lower(), email=email.lower(), password=password,
                first_name=first[:150], last_name=last[:150], phone=phone,
            )
            RoleAssignment.objects.create(user=user, role=Role.CANDIDATE)
            log_action(user, "register_candidate", user)
    except IntegrityError:
        # The same e-mail registered at the same moment (the form's check passed for both): one wins.
        msg = str(_("Email ini sudah terdaftar. Silakan masuk atau atur ulang kata sandi."))
        raise WorkflowError(msg, field_errors={"email": [msg]}) from None
    return user


def update_lsp_profile(actor, *, logo=None, remove_logo=False, **fields):
    """Admin LSP: saves the LSP's profile (the one row; created on first save) and logs what changed.
    `logo` is an uploaded file that replaces the old one; `remove_logo` drops it."""
    if Role.ADMIN not in actor.role_set():
        raise NotAllowed(_("Profil LSP hanya dapat diubah oleh Admin LSP."))
    with transaction.atomic():
        profile = lsp_profile()
        changed = [f for f in PROFILE_FIELDS if f in fields and getattr(profile, f) != fields[f]]
        for f in changed:
            setattr(profile, f, fields[f])
        old_logo = profile.logo.name if profile.logo else ""
        if logo is not None:
            profile.logo.save(logo.name, logo, save=False)
            changed.append("logo")
        elif remove_logo and old_logo:
            profile.logo = ""
            changed.append("logo")
        profile.save()
        log_action(actor, "update_lsp_profile", profile, data={"changed": changed})
    if old_logo and "logo" in changed:
        transaction.on_commit(lambda: profile.logo.storage.delete(old_logo))
    return profile
