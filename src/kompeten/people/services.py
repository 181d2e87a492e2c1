"""Acts on the assessor registry: register an assessor (a new person with an invitation, or an existing
account), edit the registration, resend the invitation. Each: role check → one transaction → one action-log
entry naming what changed → a notice or the invitation e-mail after the commit."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.catalog.selectors import schemes_by_ids
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.concurrency import claim
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, RoleAssignment
from kompeten.core.notify import notify
from kompeten.core.services import create_invited_person, find_person, send_invitation
from kompeten.people.models import Assessor, normalise_met_number, validate_met_number

register_act_labels({
    "register_assessor": gettext_lazy("Mendaftarkan asesor"),
    "update_assessor": gettext_lazy("Mengubah data asesor"),
    "invite_assessor": gettext_lazy("Mengirim ulang undangan asesor"),
})


def _require_admin(actor):
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Registri asesor hanya boleh diubah oleh: Admin LSP."))


def _check_met(met_number, exclude_pk=None):
    try:
        validate_met_number(met_number)
    except ValidationError as exc:
        raise WorkflowError(exc.messages[0], field_errors={"met_number": exc.messages}) from None
    other = Assessor.objects.filter(met_number__iexact=met_number).exclude(pk=exclude_pk).select_related("user").first()
    if other:
        msg = _("Nomor MET %(met)s sudah terdaftar atas nama %(name)s. Periksa nomornya, atau ubah data asesor "
                "tersebut.") % {"met": met_number, "name": other.name}
        raise WorkflowError(msg, field_errors={"met_number": [msg]})


def register_assessor(actor, *, email, full_name, met_number, scheme_ids, valid_until, employer=""):
    """Admin LSP: put a person on the registry. A new e-mail makes a new account (no password) and sends an
    invitation to set one; an existing account is made an assessor (an invitation goes only if it has no
    password yet). Refuses a MET number already registered and a person already on the registry."""
    _require_admin(actor)
    met_number = normalise_met_number(met_number)
    with transaction.atomic():
        _check_met(met_number)
        user = find_person(email)
        created = user is None
        if created:
            if not (full_name or "").strip():
                msg = _("Isi nama lengkap: belum ada akun dengan email ini.")
                raise WorkflowError(msg, field_errors={"full_name": [msg]})
            user = create_invited_person(email=email, full_name=full_name)
        elif Assessor.objects.filter(user=user).exists():
            msg = _("%(name)s (%(email)s) sudah terdaftar sebagai asesor; ubah datanya di registri.") % {
                "name": user.display_name, "email": user.email}
            raise WorkflowError(msg, field_errors={"email": [msg]})
        RoleAssignment.objects.get_or_create(user=user, role=Role.ASSESSOR, site=None)
        assessor = Assessor.objects.create(user=user, met_number=met_number, registration_valid_until=valid_until,
                                           employer=(employer or "").strip())
        schemes = list(schemes_by_ids(scheme_ids))
        assessor.schemes.set(schemes)
        log_action(actor, "register_assessor", assessor, data={
            "email": user.email, "new_account": created, "met_number": met_number,
            "valid_until": valid_until.isoformat(), "employer": assessor.employer,
            "schemes": sorted(s.number for s in schemes)})
        invited = created or not user.has_usable_password()
        if invited:
            send_invitation(user, role_label=gettext_lazy("asesor kompetensi"))
        else:
            notify([user], gettext_lazy("Anda terdaftar sebagai asesor di registri LSP"),
                   body=gettext_lazy("Nomor MET, skema dan masa berlaku registrasi Anda dapat dilihat di Kompeten."),
                   url=assessor.get_absolute_url())
    assessor.invited = invited
    return assessor


def update_assessor(assessor, actor, *, full_name, met_number, scheme_ids, valid_until, employer="", is_active=True,
                    version=None):
    """Admin LSP: edit a registration (name, MET number, schemes, validity, employer, active). Logs what
    changed. `version`: the edit_version the form was opened on (core.concurrency: a conflict is refused)."""
    _require_admin(actor)
    met_number = normalise_met_number(met_number)
    with transaction.atomic():
        a = claim(Assessor.objects.select_for_update().select_related("user").get(pk=assessor.pk), version)
        _check_met(met_number, exclude_pk=a.pk)
        schemes = list(schemes_by_ids(scheme_ids))
        before = {"name": a.user.display_name, "met_number": a.met_number,
                  "valid_until": a.registration_valid_until.isoformat(), "employer": a.employer,
                  "is_active": a.is_active, "schemes": sorted(s.number for s in a.schemes.all())}
        first, _sep, last = (full_name or "").strip().partition(" ")
        if first and (first, last) != (a.user.first_name, a.user.last_name):
            a.user.first_name, a.user.last_name = first[:150], last[:150]
            a.user.save(update_fields=["first_name", "last_name"])
        a.met_number, a.registration_valid_until = met_number, valid_until
        a.employer, a.is_active = (employer or "").strip(), is_active
        a.save()
        a.schemes.set(schemes)
        after = {"name": a.user.display_name, "met_number": a.met_number,
                 "valid_until": a.registration_valid_until.isoformat(), "employer": a.employer,
                 "is_active": a.is_active, "schemes": sorted(s.number for s in schemes)}
        changed = {k: {"before": before[k], "after": v} for k, v in after.items() if before[k] != v}
        if changed:
            log_action(actor, "update_assessor", a, data={"changed": changed})
    return a


def resend_invitation(assessor, actor):
    """Admin LSP: send the set-password invitation again (a person who has not set a password yet)."""
    _require_admin(actor)
    user = assessor.user
    if user.has_usable_password():
        raise WorkflowError(_("%(name)s sudah mengatur kata sandinya; undangan tidak perlu dikirim ulang.") % {
            "name": user.display_name})
    with transaction.atomic():
        log_action(actor, "invite_assessor", assessor, data={"email": user.email})
        send_invitation(user, role_label=gettext_lazy("asesor kompetensi"))
