"""Acts on people and accounts."""

import logging
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, mailers, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.concurrency import claim
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.lsp import forget_lsp_profile, lsp_profile
from kompeten.core.models import Role, RoleAssignment

log = logging.getLogger(__name__)

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


def update_lsp_profile(actor, *, logo=None, remove_logo=False, version=None, **fields):
    """Admin LSP: saves the LSP's profile (the one row; created on first save) and logs what changed.
    `logo` is an uploaded file that replaces the old one; `remove_logo` drops it. `version`: the edit_version the
    form was opened on (core.concurrency: a conflict is refused)."""
    if Role.ADMIN not in actor.role_set():
        raise NotAllowed(_("Profil LSP hanya dapat diubah oleh Admin LSP."))
    with transaction.atomic():
        profile = lsp_profile(fresh=True)
        if profile.pk:
            profile = claim(type(profile).objects.select_for_update().get(pk=profile.pk), version)
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
    transaction.on_commit(forget_lsp_profile)
    return profile


def find_person(email):
    """The account with this e-mail (case-insensitive), or None."""
    email = (email or "").strip()
    return get_user_model().objects.filter(email__iexact=email).first() if email else None


def invitation_link(user):
    """The set-password link of Django's password-reset machinery (valid PASSWORD_RESET_TIMEOUT seconds,
    and only until the password is set)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", args=[uid, token])


def send_invitation(user, *, role_label):
    """E-mail `user` a link to set their password, after the current transaction commits. The link is not
    stored anywhere (it is a key to the account): it goes only to the person's e-mail."""
    def deliver():
        with translation.override(user.language_code):
            subject = _("Undangan %(lsp)s: atur kata sandi Anda") % {"lsp": settings.LSP_NAME}
            body = render_to_string("registration/invitation_email.txt", {
                "user": user, "role": role_label, "link": invitation_link(user), "lsp": settings.LSP_NAME,
                "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400), "login_email": user.email})
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], fail_silently=False)
        except Exception:  # an unreachable mail server must not undo the act; the invitation can be resent
            log.exception("could not send the invitation to user %s", user.pk)
    transaction.on_commit(deliver)


def create_invited_person(*, email, full_name, phone=""):
    """A new account without a usable password (the person sets it through the invitation link). Call inside
    the act's transaction."""
    first, _sep, last = full_name.strip().partition(" ")
    email = email.strip().lower()
    user = get_user_model().objects.create_user(username=email, email=email, password=None,
                                                first_name=first[:150], last_name=last[:150], phone=phone)
    return user


# --- people registered by the LSP in bulk (an import of a class of candidates) ----------------------------


def emails_in_use(emails):
    """The given e-mail addresses (lower-cased) that an account already uses, as e-mail or as login name."""
    wanted = sorted({(e or "").strip().lower() for e in emails} - {""})
    found = set()
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        rows = (get_user_model().objects.annotate(lower_email=Lower("email"), lower_username=Lower("username"))
                .filter(Q(lower_email__in=chunk) | Q(lower_username__in=chunk))
                .values_list("lower_email", "lower_username"))
        for email, username in rows:
            found.update({email, username} & set(chunk))
    return found


def create_invited_candidates(people):
    """Accounts without a usable password, each with the candidate role, for people the LSP registers in bulk
    (`people`: dicts with email, full_name, phone). Bulk inserts, no password hashing (the person sets a
    password through the invitation). Call inside the act's transaction; returns the users in the given order."""
    user_model = get_user_model()
    users = []
    for p in people:
        first, _sep, last = p["full_name"].strip().partition(" ")
        email = p["email"].strip().lower()
        # The form Django's set_unusable_password() writes ("!" + random), without its slower random source.
        users.append(user_model(username=email, email=email, first_name=first[:150], last_name=last[:150],
                                phone=p.get("phone", "")[:30], password="!" + secrets.token_urlsafe(30)))
    users = user_model.objects.bulk_create(users, batch_size=500)
    RoleAssignment.objects.bulk_create([RoleAssignment(user=u, role=Role.CANDIDATE) for u in users],
                                       batch_size=1000)
    return users


def send_invitations(users, *, role_label, next_step="", chunk=200, progress=None):
    """E-mail each of `users` the set-password link (as send_invitation), over one mail connection per `chunk`
    people; `progress(n)` is called after each chunk. For bulk work outside a transaction (after the import
    committed). A chunk the mail server refuses is logged and skipped: the people in it can renew the link
    with "Lupa kata sandi?". `next_step` (a lazy text) says what to do once logged in. Returns the number of
    messages handed to the mail server."""
    template = get_template("registration/invitation_email.txt")
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    sent = 0
    for i in range(0, len(users), chunk):
        batch = users[i:i + chunk]
        messages = []
        for user in batch:
            with translation.override(user.language_code):
                subject = _("Undangan %(lsp)s: atur kata sandi Anda") % {"lsp": settings.LSP_NAME}
                body = template.render({"user": user, "role": role_label, "link": invitation_link(user),
                                        "lsp": settings.LSP_NAME, "days": days, "login_email": user.email,
                                        "next_step": str(next_step)})
            messages.append(EmailMessage(str(subject), body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        try:
            sent += mailers.default.send_messages(messages) or 0
        except Exception:  # the people are registered; an unreachable mail server must not undo that
            log.exception("could not send %s invitations", len(messages))
        if progress:
            progress(len(batch))
    return sent
