"""Giving and removing a role is an act (issue 12): done by an admin LSP for someone else, with a reason,
written to the action log on the person, and the person is told. Nobody changes their own roles."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, RoleAssignment
from kompeten.core.notify import lazy_text, notify

register_act_labels({"grant_role": _("Peran diberikan"), "revoke_role": _("Peran dicabut")})


def _check(actor, person, role, reason, site, *, granting=True):
    if not getattr(actor, "is_authenticated", False) or Role.ADMIN not in actor.role_set():
        raise NotAllowed(_("Peran hanya dapat diubah oleh Admin LSP."))
    if actor.pk == person.pk:
        raise NotAllowed(_("Anda tidak dapat mengubah peran Anda sendiri; minta Admin LSP lain melakukannya."))
    if role not in Role.values:
        raise WorkflowError(_("Peran tidak dikenal."), field_errors={"role": [_("Pilih peran.")]})
    if not (reason or "").strip():
        raise WorkflowError(_("Alasan perubahan peran wajib diisi."), field_errors={"reason": [_("Wajib diisi.")]})
    if granting and role == Role.TUK_HEAD and site is None:
        raise WorkflowError(_("Ketua TUK harus ditautkan pada satu TUK."), field_errors={"site": [_("Pilih TUK.")]})


def grant_role(person, actor, *, role, reason, site=None):
    """Admin: gives `person` the role (a Ketua TUK's role for one TUK). Refused on oneself and without a reason."""
    _check(actor, person, role, reason, site)
    site = site if role == Role.TUK_HEAD else None
    with transaction.atomic():
        if RoleAssignment.objects.filter(user=person, role=role, site=site).exists():
            raise WorkflowError(_("Orang ini sudah memegang peran tersebut."))
        RoleAssignment.objects.create(user=person, role=role, site=site)
        log_action(actor, "grant_role", person, reason=reason.strip(),
                   data={"role": role, "site_id": getattr(site, "pk", None)})
    notify([person], _("Anda diberi peran baru"),
           body=lazy_text(_("Peran: %(role)s. Alasan: %(reason)s"), role=Role(role).label, reason=reason.strip()))
    person.__dict__.pop("_role_cache", None)
    person.__dict__.pop("_assignment_cache", None)


def revoke_role(person, actor, *, role, reason, site=None):
    """Admin: removes the role from `person`. Refused on oneself, without a reason, or when it is not held."""
    _check(actor, person, role, reason, site, granting=False)  # a Ketua TUK's role is removed with or without its TUK
    with transaction.atomic():
        held = RoleAssignment.objects.filter(user=person, role=role)
        if site is not None:
            held = held.filter(site=site)
        if not held.exists():
            raise WorkflowError(_("Orang ini tidak memegang peran tersebut."))
        held.delete()
        log_action(actor, "revoke_role", person, reason=reason.strip(),
                   data={"role": role, "site_id": getattr(site, "pk", None)})
    notify([person], _("Peran Anda dicabut"),
           body=lazy_text(_("Peran: %(role)s. Alasan: %(reason)s"), role=Role(role).label, reason=reason.strip()))
    person.__dict__.pop("_role_cache", None)
    person.__dict__.pop("_assignment_cache", None)
