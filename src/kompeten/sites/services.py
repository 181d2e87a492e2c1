"""TUK verification (S1.4): the facilities checklist, the validity date and the schemes a TUK is fit for."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.catalog.selectors import schemes_by_ids
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
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
