"""Load a scheme from a file so a real scheme is entered once, not clicked in.

Format (JSON or YAML; see docs/scheme-format.md and catalog/fixtures/ for a full example):

    scheme:
      number: SKM/LSP-TDN/01/2026          # unique; loading again updates this scheme
      code: junior-web-developer            # optional slug for the URL (made from the title if absent)
      title: ..., type: KKNI|Okupasi|Klaster, kkni_level: 1-9 or null, sector: ...
      reference_standard, validity_years, fee, summary, evidence, evidence_types, rules, process,
      rights_duties: text
      requirements: [{kind: basic|administrative, text: ...}]
      units: [{code, title, standard_type, elements: [{title, criteria: [text, ...]}]}]
      instruments: [...]   # read by the assessment app, see below and docs/scheme-format.md

Reloading replaces units, elements, criteria and requirements with the file's, inside one transaction; a file
with an error changes nothing. Units, elements and KUK that are unchanged keep their rows (what points at them
stays valid).

Sections the catalogue does not own (the assessment tools, MUK) are read by the app that owns them: it
registers, in its AppConfig.ready(), ``register_section("instruments", fn)``; the loader calls
``fn(scheme, value)`` after the units are in place, inside the same transaction (raise SchemeFileError to
refuse the file).
"""

import json
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify

from kompeten.catalog.models import Criterion, Element, Requirement, Scheme, Unit

TEXT_FIELDS = ["reference_standard", "summary", "evidence", "evidence_types", "rules", "process",
               "rights_duties", "sector"]


class SchemeFileError(ValueError):
    pass


_SECTIONS = {}


def register_section(name, fn):
    """A higher app reads section `name` of a scheme file: fn(scheme, value), after the units are loaded."""
    _SECTIONS[name] = fn


def read_scheme_file(path):
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text) if path.suffix.lower() in {".yaml", ".yml"} else json.loads(text)
    if not isinstance(data, dict) or "scheme" not in data:
        raise SchemeFileError("the file must have a top-level 'scheme' object")
    return data["scheme"]


def _require(obj, key, where):
    if not obj.get(key):
        raise SchemeFileError(f"{where}: '{key}' is required")
    return obj[key]


@transaction.atomic
def load_scheme(data, *, number=None):
    """Create or update one scheme from a dict in the documented format; returns the Scheme."""
    number = number or _require(data, "number", "scheme")
    title = _require(data, "title", "scheme")
    stype = _require(data, "type", "scheme")
    if stype not in Scheme.Type.values:
        raise SchemeFileError(f"scheme: type must be one of {', '.join(Scheme.Type.values)}")
    level = data.get("kkni_level")
    if stype == Scheme.Type.KKNI and not (isinstance(level, int) and 1 <= level <= 9):
        raise SchemeFileError("scheme: a KKNI scheme needs kkni_level 1-9")
    fields = {
        "title": title, "type": stype, "kkni_level": level if stype == Scheme.Type.KKNI else None,
        "validity_years": int(data.get("validity_years") or 3), "fee": data.get("fee") or 0,
        "is_active": data.get("is_active", True),
        **{f: data.get(f) or "" for f in TEXT_FIELDS},
    }
    scheme = Scheme.objects.filter(number=number).first()
    if scheme is None:
        scheme = Scheme(number=number, code=data.get("code") or slugify(title)[:60])
    elif data.get("code"):
        scheme.code = data["code"]
    for key, value in fields.items():
        setattr(scheme, key, value)
    scheme.save()

    scheme.requirements.all().delete()
    for i, req in enumerate(data.get("requirements") or [], 1):
        kind = req.get("kind", "basic")
        if kind not in Requirement.Kind.values:
            raise SchemeFileError(f"requirement {i}: kind must be basic or administrative")
        Requirement.objects.create(scheme=scheme, kind=kind, order=i, text=_require(req, "text", f"requirement {i}"))

    units = data.get("units") or []
    if not units:
        raise SchemeFileError("scheme: at least one unit is required")
    same = _structure_in_db(scheme) == _structure_in_file(units)
    if scheme.cases.exists() and not same:
        # Applications point at these units, elements and KUK; the structure is frozen once used.
        raise SchemeFileError("scheme: units cannot change once candidates have applied; make a new scheme")
    if same:
        for unit, u in zip(scheme.units.all(), units, strict=True):
            unit.standard_type = u.get("standard_type") or Unit.StandardType.SKKNI
            unit.save(update_fields=["standard_type"])
    else:
        _replace_units(scheme, units)
    for name, fn in _SECTIONS.items():
        if name in data:
            try:
                fn(scheme, data[name])
            except SchemeFileError:
                raise
            except ValueError as exc:
                raise SchemeFileError(str(exc)) from exc
    return scheme


def _replace_units(scheme, units):
    Criterion.objects.filter(element__unit__scheme=scheme).delete()
    Element.objects.filter(unit__scheme=scheme).delete()
    existing = {u.code: u for u in scheme.units.all()}
    for ui, u in enumerate(units, 1):
        code = _require(u, "code", f"unit {ui}")
        unit = existing.pop(code, None) or Unit(scheme=scheme, code=code)
        unit.order = ui
        unit.title = _require(u, "title", f"unit {code}")
        unit.standard_type = u.get("standard_type") or Unit.StandardType.SKKNI
        unit.save()
        for ei, e in enumerate(u.get("elements") or [], 1):
            element = Element.objects.create(unit=unit, order=ei, title=_require(e, "title", f"unit {code} element {ei}"))
            for ci, text in enumerate(e.get("criteria") or [], 1):
                Criterion.objects.create(element=element, order=ci, number=f"{ei}.{ci}", text=text)
    for stale in existing.values():
        stale.delete()


def _structure_in_file(units):
    return [(u.get("code"), u.get("title"), [(e.get("title"), list(e.get("criteria") or []))
                                              for e in u.get("elements") or []]) for u in units]


def _structure_in_db(scheme):
    return [(u.code, u.title, [(e.title, [c.text for c in e.criteria.all()]) for e in u.elements.all()])
            for u in scheme.units.prefetch_related("elements__criteria")]
