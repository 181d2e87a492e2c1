"""TUK verification (S1.4): the facilities checklist, the validity date and the schemes a TUK is fit for."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.selectors import schemes_by_ids
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.concurrency import claim
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, RoleAssignment
from kompeten.core.notify import lazy_text, notify
from kompeten.core.services import create_invited_person, find_person, send_invitation
from kompeten.sites.models import FacilityItem, Site, SiteVerification

register_act_labels({"verify_site": _("Memverifikasi TUK")})


def verify_site(site, actor, *, items, verified_until, scheme_ids, note=""):
    """Admin LSP (S1.4): records one verification of a TUK. `items` is {item code: (ok, note)} for every
    facility of FacilityItem. When every facility meets, the TUK is verified until `verified_until` and fit
    for the schemes in `scheme_ids`; when one does not, the TUK is no longer verified (verified_until cleared,
    no schemes). Either way the verification is kept as a record and logged."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Verifikasi TUK hanya boleh dilakukan oleh: Admin LSP."))
    errors = {}
    missing = [str(label) for code, label in FacilityItem.choices if code not in items]
    if missing:
        errors["items"] = [_("Setiap butir harus dinilai. Belum dinilai: %(items)s.") % {"items": "; ".join(missing)}]
    unknown = set(items) - set(FacilityItem.values)
    if unknown:
        errors["items"] = [_("Butir tidak dikenal: %(items)s.") % {"items": ", ".join(sorted(unknown))}]
    rows = [{"item": code, "ok": bool(items[code][0]), "note": (items[code][1] or "").strip()}
            for code in FacilityItem.values if code in items]
    passed = bool(rows) and all(r["ok"] for r in rows)
    for r in rows:
        if not r["ok"] and not r["note"]:
            errors.setdefault(f"note_{r['item']}", []).append(_("Jelaskan mengapa butir ini tidak memenuhi."))
    schemes = list(schemes_by_ids(scheme_ids))
    if passed:
        if not verified_until:
            errors["verified_until"] = [_("Isi tanggal berlaku verifikasi.")]
        elif verified_until <= timezone.localdate():
            errors["verified_until"] = [_("Tanggal berlaku harus setelah hari ini.")]
        if not schemes:
            errors["schemes"] = [_("Pilih minimal satu skema yang layak diujikan di TUK ini.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise WorkflowError(first, field_errors=errors)
    with transaction.atomic():
        locked = Site.objects.select_for_update().get(pk=site.pk)
        record = SiteVerification.objects.create(
            site=locked, verified_by=actor, items=rows, passed=passed,
            verified_until=verified_until if passed else None, note=note or "")
        if passed:
            record.schemes.set(schemes)
            locked.verified_until = verified_until
            locked.save(update_fields=["verified_until"])
            locked.schemes.set(schemes)
        else:
            locked.verified_until = None
            locked.save(update_fields=["verified_until"])
            locked.schemes.clear()
        log_action(actor, "verify_site", locked, reason=note, data={
            "verification": record.pk, "passed": passed,
            "verified_until": verified_until.isoformat() if passed and verified_until else None,
            "schemes": [s.number for s in schemes] if passed else [],
            "failed": [r["item"] for r in rows if not r["ok"]],
        })
    site.refresh_from_db()
    return record


register_act_labels({"create_site": _("Membuat TUK"), "update_site": _("Mengubah TUK")})

SITE_FIELDS = ["code", "name", "type", "address", "city", "is_active"]


def save_site(actor, site=None, *, head_email="", head_name="", version=None, **values):
    """Admin LSP: create a TUK (site=None) or edit its data and its head. The head (given by e-mail: an existing
    account, or a new person named `head_name` who is invited to set a password; empty = no head) gets the
    Ketua TUK role for this TUK, and a previous head loses it. Verification date and fit
    schemes are set only by a recorded verification (verify_site). Logs one entry with what changed and tells
    a new head. `version`: the edit_version the form was opened on (core.concurrency: a conflict is refused)."""
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Data TUK hanya boleh diubah oleh: Admin LSP."))
    unknown = set(values) - set(SITE_FIELDS)
    if unknown:
        raise ValueError(f"unknown site fields: {sorted(unknown)}")
    created = site is None
    with transaction.atomic():
        locked = Site() if created else claim(Site.objects.select_for_update().get(pk=site.pk), version)
        if Site.objects.filter(code__iexact=values.get("code", locked.code)).exclude(pk=locked.pk).exists():
            msg = _("Kode TUK %(code)s sudah dipakai TUK lain.") % {"code": values["code"]}
            raise WorkflowError(msg, field_errors={"code": [msg]})
        head = find_person(head_email)
        invite = False
        if head_email and head is None:
            if not (head_name or "").strip():
                msg = _("Belum ada akun dengan email ini: isi juga nama ketua TUK agar akunnya dibuat dan "
                        "undangan dikirim.")
                raise WorkflowError(msg, field_errors={"head_name": [msg]})
            head, invite = create_invited_person(email=head_email, full_name=head_name), True
        if head is not None and head.has_role(Role.CANDIDATE) and not head.role_set() - {Role.CANDIDATE}:
            msg = _("%(name)s hanya terdaftar sebagai asesi; Ketua TUK harus akun petugas TUK.") % {
                "name": head.display_name}
            raise WorkflowError(msg, field_errors={"head_email": [msg]})
        changed = {f: v for f, v in values.items() if created or getattr(locked, f) != v}
        old_head = locked.head
        for field, value in values.items():
            setattr(locked, field, value)
        new_head = head != old_head
        locked.head = head
        locked.save()
        if new_head:
            RoleAssignment.objects.filter(role=Role.TUK_HEAD, site=locked).exclude(user=head).delete()
            if head is not None:
                RoleAssignment.objects.get_or_create(user=head, role=Role.TUK_HEAD, site=locked)
            changed["head"] = head.email if head else None
        if created or changed:
            log_action(actor, "create_site" if created else "update_site", locked, data={"changed": changed})
    if invite:
        send_invitation(head, role_label=lazy_text(_("Ketua TUK %(name)s"), name=locked.name))
    elif new_head and head is not None:
        notify([head], lazy_text(_("Anda ditetapkan sebagai Ketua TUK %(name)s"), name=locked.name),
               body=_("Anda dapat melihat jadwal di TUK ini, mengisi daftar hadir dan meneruskan laporan asesmen."),
               url=locked.get_absolute_url())
    return locked
