"""Acts on the catalogue (master data): create and edit a scheme, load its units from the scheme file.

Each act: role check → one transaction → one action-log entry naming what changed. Only the Admin LSP
edits master data; the Ketua LSP may view it.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.catalog.loader import SchemeFileError, load_scheme, parse_scheme_bytes
from kompeten.catalog.models import Requirement, Scheme
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.concurrency import claim
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role

register_act_labels({
    "create_scheme": gettext_lazy("Membuat skema"),
    "update_scheme": gettext_lazy("Mengubah skema"),
    "load_scheme_file": gettext_lazy("Memuat berkas skema"),
})

# What the scheme screen edits (units, elements and KUK come only through the scheme file).
SCHEME_FIELDS = ["number", "code", "title", "type", "kkni_level", "sector", "reference_standard", "validity_years",
                 "fee", "summary", "evidence", "evidence_types", "rules", "process", "rights_duties", "is_licensed",
                 "is_active"]


def may_edit_master_data(user):
    return user.is_authenticated and user.has_role(Role.ADMIN)


def may_view_master_data(user):
    return user.is_authenticated and bool(user.role_set() & {Role.ADMIN, Role.LSP_HEAD})


def _require_admin(actor):
    if not may_edit_master_data(actor):
        raise NotAllowed(_("Data induk hanya boleh diubah oleh: Admin LSP."))


def _plain(value):
    return value if value is None or isinstance(value, bool | int | str) else str(value)


def _lines(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check(scheme, values):
    errors = {}
    if values.get("type") == Scheme.Type.KKNI and not values.get("kkni_level"):
        errors["kkni_level"] = [_("Skema KKNI memerlukan jenjang 1–9.")]
    if Scheme.objects.filter(number=values["number"]).exclude(pk=scheme.pk).exists():
        errors["number"] = [_("Nomor skema %(number)s sudah dipakai skema lain.") % {"number": values["number"]}]
    if Scheme.objects.filter(code=values["code"]).exclude(pk=scheme.pk).exists():
        errors["code"] = [_("Kode %(code)s sudah dipakai skema lain.") % {"code": values["code"]}]
    if values.get("is_active") and (scheme.pk is None or not scheme.units.exists()):
        errors["is_active"] = [_("Skema belum punya unit kompetensi: unggah berkas skema dulu, lalu aktifkan.")]
    if errors:
        raise WorkflowError(next(iter(errors.values()))[0], field_errors=errors)


def save_scheme(actor, scheme=None, *, basic_requirements=None, administrative_requirements=None, version=None,
                **values):
    """Admin LSP: create a scheme (scheme=None) or edit one: the brochure texts, fee, validity, status and the
    requirements (one per line; frozen once candidates have applied, since APL.01 points at them). Logs one
    entry with the fields that changed. `version`: the edit_version the form was opened on (core.concurrency)."""
    _require_admin(actor)
    unknown = set(values) - set(SCHEME_FIELDS)
    if unknown:
        raise ValueError(f"unknown scheme fields: {sorted(unknown)}")
    created = scheme is None
    with transaction.atomic():
        if created:
            scheme = Scheme()
        else:
            scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
            claim(scheme, version)
        if values.get("type") != Scheme.Type.KKNI:
            values["kkni_level"] = None
        _check(scheme, {**{f: getattr(scheme, f) for f in SCHEME_FIELDS}, **values})
        changed = {f: _plain(v) for f, v in values.items() if created or getattr(scheme, f) != v}
        for field, value in values.items():
            setattr(scheme, field, value)
        scheme.save()
        if basic_requirements is not None or administrative_requirements is not None:
            wanted = [(Requirement.Kind.BASIC, t) for t in _lines(basic_requirements)] + \
                     [(Requirement.Kind.ADMINISTRATIVE, t) for t in _lines(administrative_requirements)]
            current = [(r.kind, r.text) for r in scheme.requirements.order_by("kind", "order", "id")]
            current = sorted(current, key=lambda r: r[0] != Requirement.Kind.BASIC)
            if wanted != current:
                if not created and scheme.cases.exists():
                    raise WorkflowError(
                        _("Persyaratan tidak dapat diubah: sudah ada permohonan untuk skema ini (APL.01 merujuk ke "
                          "persyaratannya). Buat skema baru bila persyaratannya berubah."),
                        field_errors={"basic_requirements": [_("Dibekukan: sudah ada permohonan.")]})
                scheme.requirements.all().delete()
                Requirement.objects.bulk_create([Requirement(scheme=scheme, kind=k, order=i, text=t)
                                                 for i, (k, t) in enumerate(wanted, 1)])
                changed["requirements"] = [t for _k, t in wanted]
        if created or changed:
            log_action(actor, "create_scheme" if created else "update_scheme", scheme, data={"changed": changed})
    return scheme


def upload_scheme_file(actor, raw, filename, *, scheme=None):
    """Admin LSP: load a scheme file (the same loader as `manage.py load_scheme`). With `scheme`, the file
    must be that scheme's (same number). Raises WorkflowError with every problem of the file, each naming its
    place; nothing is changed then."""
    _require_admin(actor)
    try:
        with transaction.atomic():
            data = parse_scheme_bytes(raw, filename)
            loaded = load_scheme(data, number=scheme.number if scheme else None)
            log_action(actor, "load_scheme_file", loaded, data={"file": filename, **loaded.load_summary})
    except SchemeFileError as exc:
        raise WorkflowError(_("Berkas skema tidak dimuat; tidak ada yang berubah."),
                            field_errors={"file": exc.errors}) from None
    return loaded
