"""BNSP's code lists as master data: loaded from the file shipped with the project (core/data/bnsp_codes.json, its
provenance written in its "_source"), read by APL.01 (choices) and by the blanko sheet (codes)."""

import json
from pathlib import Path

from django.db import transaction

from .models import BnspCode

CODES_FILE = Path(__file__).resolve().parent / "data" / "bnsp_codes.json"
KINDS = [k.value for k in BnspCode.Kind]


class CodeFileError(ValueError):
    pass


def read_file(path=CODES_FILE):
    """The lists in the file, checked: {kind: [{"code", "name", "parent"?}]}. A wrong file says where."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CodeFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise CodeFileError(f"{path}: the file must hold an object with one list per kind ({', '.join(KINDS)}).")
    lists = {}
    for kind in KINDS:
        rows = data.get(kind, [])
        if not isinstance(rows, list):
            raise CodeFileError(f"{path}: “{kind}” must be a list.")
        seen = set()
        for i, row in enumerate(rows, start=1):
            if not isinstance(row, dict) or not str(row.get("code", "")).strip() or not str(row.get("name", "")).strip():
                raise CodeFileError(f"{path}: {kind} #{i} needs a “code” and a “name”.")
            code = str(row["code"]).strip()
            if code in seen:
                raise CodeFileError(f"{path}: {kind} #{i}: code {code} appears twice.")
            seen.add(code)
        lists[kind] = [{"code": str(r["code"]).strip(), "name": str(r["name"]).strip(),
                        "parent": str(r.get("parent", "") or "").strip()} for r in rows]
    return lists


def load_codes(lists=None, model=BnspCode):
    """Adds new codes, renames changed ones, marks codes missing from the lists inactive (never deletes: cases
    keep the codes they recorded). `model` lets a data migration pass its historical model. Returns counts."""
    lists = read_file() if lists is None else lists
    counts = {"created": 0, "updated": 0, "deactivated": 0}
    with transaction.atomic():
        existing = {(c.kind, c.code): c for c in model.objects.all()}
        new = []
        for kind, rows in lists.items():
            for row in rows:
                current = existing.pop((kind, row["code"]), None)
                if current is None:
                    new.append(model(kind=kind, code=row["code"], name=row["name"], parent=row["parent"]))
                elif (current.name, current.parent, current.is_active) != (row["name"], row["parent"], True):
                    current.name, current.parent, current.is_active = row["name"], row["parent"], True
                    current.save()
                    counts["updated"] += 1
        for left in existing.values():
            if left.kind in lists and left.is_active:
                left.is_active = False
                left.save(update_fields=["is_active"])
                counts["deactivated"] += 1
        # One statement for the new codes: a first load (or the reload after a flush) is some 600 rows. Two
        # servers may reload an emptied table at the same moment (ensure_loaded): the second's rows are skipped.
        model.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        counts["created"] = len(new)
    return counts


def ensure_loaded():
    """The lists are loaded by a migration; a database emptied since (a test flush, a restore of an older dump)
    gets them again from the shipped file on first use rather than offering empty lists."""
    if not BnspCode.objects.exists():
        load_codes()


def choices(kind, *, blank=None):
    """[(code, "code — name")] of the active codes of a list, for a form's select."""
    ensure_loaded()
    rows = [(c.code, f"{c.code} — {c.name}") for c in BnspCode.objects.filter(kind=kind, is_active=True)
            .order_by("parent", "name")]
    return ([("", blank)] if blank is not None else []) + rows


def city_choices(blank=None):
    """Cities grouped under their province (an <optgroup> each)."""
    ensure_loaded()
    provinces = dict(BnspCode.objects.filter(kind=BnspCode.Kind.PROVINCE).values_list("code", "name"))
    groups = {}
    for c in BnspCode.objects.filter(kind=BnspCode.Kind.CITY, is_active=True).order_by("parent", "name"):
        groups.setdefault(provinces.get(c.parent, c.parent), []).append((c.code, f"{c.code} — {c.name}"))
    return ([("", blank)] if blank is not None else []) + sorted(groups.items())


def exists(kind, code):
    ensure_loaded()
    return BnspCode.objects.filter(kind=kind, code=code).exists()


def province_of_city(code):
    ensure_loaded()
    return BnspCode.objects.filter(kind=BnspCode.Kind.CITY, code=code).values_list("parent", flat=True).first() or ""


def names(kind):
    return dict(BnspCode.objects.filter(kind=kind).values_list("code", "name"))


def city_named(name):
    """The code of a city/kabupaten by its plain name ("Bandung": the Kota before the Kabupaten), or ""."""
    ensure_loaded()
    found = dict(BnspCode.objects.filter(kind=BnspCode.Kind.CITY, name__endswith=name).values_list("name", "code"))
    return found.get(f"Kota {name}") or found.get(f"Kabupaten {name}") or ""


def active_lists(kinds=None):
    """{kind: [(code, name, parent)]} of the active codes, one query: for checking many values at once (the
    candidate import checks every row's codes against these without a query per row)."""
    ensure_loaded()
    out = {kind: [] for kind in (kinds or KINDS)}
    for kind, code, name, parent in (BnspCode.objects.filter(kind__in=list(out), is_active=True)
                                     .order_by("kind", "code").values_list("kind", "code", "name", "parent")):
        out[kind].append((code, name, parent))
    return out
