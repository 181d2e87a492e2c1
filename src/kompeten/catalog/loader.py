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
      recertification: {methods: [portofolio, pihak_ketiga], condition: clean_surveillance|none, description}
      instruments: [...]   # read by the assessment app, see below and docs/scheme-format.md

The whole file is checked first (every problem named by its place, `units[3].elements[1].criteria[0]:
kosong`), then written in one transaction with bulk inserts; a file with an error changes nothing.
Once candidates have applied to a scheme, its units, elements, KUK and requirements are frozen (applications
and assessment records point at them); brochure texts, fee, validity, status and tools may still change.
Unchanged units, elements and KUK keep their rows on a reload (what points at them stays valid).

Sections the catalogue does not own (the assessment tools, MUK) are read by the app that owns them: it
registers, in its AppConfig.ready(), ``register_section("instruments", fn)``; the loader calls
``fn(scheme, value)`` after the units are in place, inside the same transaction (raise SchemeFileError to
refuse the file).
"""

import json
import re
from pathlib import Path

import yaml
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from kompeten.catalog.models import Criterion, Element, Requirement, Scheme, Unit

TEXT_FIELDS = ["reference_standard", "summary", "evidence", "evidence_types", "rules", "process",
               "rights_duties", "sector"]
MAX_ERRORS = 30
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


class SchemeFileError(ValueError):
    """The file cannot be loaded. `errors` lists every problem found, each naming its place in the file."""

    def __init__(self, errors):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


# --- reading the file ---------------------------------------------------------------------------------


def parse_scheme_bytes(raw, name="scheme.json"):
    """The `scheme` object of a file's bytes (JSON, or YAML when the name ends .yaml/.yml); SchemeFileError
    when the bytes are not UTF-8 text (a byte-order mark is accepted), not JSON/YAML, or lack `scheme`."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemeFileError(_("Berkas bukan teks UTF-8 (byte tidak sah di posisi %(pos)s). Simpan ulang berkas "
                                "dengan pengodean UTF-8.") % {"pos": exc.start}) from None
    if not text.strip():
        raise SchemeFileError(_("Berkas kosong."))
    if Path(name).suffix.lower() in {".yaml", ".yml"}:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _("baris %(line)s, kolom %(col)s") % {"line": mark.line + 1, "col": mark.column + 1} if mark else ""
            raise SchemeFileError(_("Berkas bukan YAML yang sah: %(where)s (%(problem)s).") % {
                "where": where, "problem": getattr(exc, "problem", "") or exc}) from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemeFileError(_("Berkas bukan JSON yang sah: baris %(line)s, kolom %(col)s (%(problem)s).") % {
                "line": exc.lineno, "col": exc.colno, "problem": exc.msg}) from None
    if not isinstance(data, dict) or "scheme" not in data:
        raise SchemeFileError(_("Berkas harus berisi objek \"scheme\" di tingkat teratas, "
                                "misalnya {\"scheme\": {\"number\": …, \"units\": […]}}."))
    if not isinstance(data["scheme"], dict):
        raise SchemeFileError(_("scheme: harus berupa objek, bukan %(kind)s.") % {"kind": _kind(data["scheme"])})
    return data["scheme"]


_SECTIONS = {}


def register_section(name, fn):
    """A higher app reads section `name` of a scheme file: fn(scheme, value), after the units are loaded."""
    _SECTIONS[name] = fn


def read_scheme_file(path):
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SchemeFileError(_("Berkas %(path)s tidak dapat dibaca: %(error)s.") % {
            "path": path, "error": exc.strerror or exc}) from None
    return parse_scheme_bytes(raw, path.name)


# --- checking it --------------------------------------------------------------------------------------


def _kind(value):
    if value is None:
        return _("null")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("angka")
    if isinstance(value, str):
        return _("teks")
    if isinstance(value, list):
        return _("daftar")
    if isinstance(value, dict):
        return _("objek")
    return type(value).__name__


# The AK.02 method columns (FR.AK.02: assessment.wording.AK02_METHODS keys; a test keeps them equal) that a
# shorter recertification path may name, and the conditions it may set.
RECERT_METHODS = ["observasi", "portofolio", "pihak_ketiga", "lisan", "tertulis", "proyek", "lainnya"]
RECERT_CONDITIONS = ["clean_surveillance", "none"]


def _recertification(c, value):
    """The scheme's shorter recertification path: {methods: [...], condition: ..., description: ...}; null or {}
    removes it."""
    if value is None or value == {}:
        return {}
    if not c.obj(value, "recertification"):
        return {}
    unknown = sorted(set(value) - {"methods", "condition", "description"})
    if unknown:
        c.add("recertification", _("kunci tidak dikenal: %(keys)s") % {"keys": ", ".join(unknown)})
    methods = c.items(value, "methods", "recertification", required=True) or []
    bad = [m for m in methods if m not in RECERT_METHODS]
    if bad:
        c.add("recertification.methods", _("harus dari %(values)s, bukan %(bad)s") % {
            "values": ", ".join(RECERT_METHODS), "bad": json.dumps(bad, ensure_ascii=False, default=str)})
    elif "methods" in value and not methods:
        c.add("recertification.methods", _("sedikitnya satu metode"))
    condition = value.get("condition", "clean_surveillance")
    if condition not in RECERT_CONDITIONS:
        c.add("recertification.condition", _("harus salah satu dari %(values)s, bukan %(value)s") % {
            "values": ", ".join(RECERT_CONDITIONS), "value": json.dumps(condition, ensure_ascii=False, default=str)})
    description = c.text(value, "description", "recertification", max_length=1000) or ""
    out = {"methods": [m for m in RECERT_METHODS if m in methods], "condition": condition}
    if description:
        out["description"] = description
    return out


class _Checker:
    """Collects every problem of a scheme dict, each prefixed with its place in the file."""

    def __init__(self):
        self.errors = []

    def add(self, place, message):
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{place}: {message}")

    def text(self, obj, key, place, *, required=False, max_length=None):
        """The text at obj[key] stripped ('' when absent and optional); None after recording a problem."""
        where = f"{place}.{key}" if place else key
        value = obj.get(key)
        if value is None or value == "":
            if required:
                self.add(where, _("wajib diisi") if key in obj else _("kunci \"%(key)s\" wajib ada") % {"key": key})
                return None
            return ""
        if not isinstance(value, str):
            self.add(where, _("harus berupa teks, bukan %(kind)s") % {"kind": _kind(value)})
            return None
        value = value.strip()
        if required and not value:
            self.add(where, _("kosong"))
            return None
        if max_length and len(value) > max_length:
            self.add(where, _("terlalu panjang (%(n)s karakter, maks. %(max)s)") % {"n": len(value), "max": max_length})
            return None
        return value

    def items(self, obj, key, place, *, required=False):
        """The list at obj[key] ([] when absent and optional); None after recording a problem."""
        where = f"{place}.{key}" if place else key
        value = obj.get(key)
        if value is None:
            if required:
                self.add(where, _("kunci \"%(key)s\" wajib ada") % {"key": key})
                return None
            return []
        if not isinstance(value, list):
            self.add(where, _("harus berupa daftar [ … ], bukan %(kind)s") % {"kind": _kind(value)})
            return None
        return value

    def obj(self, value, place):
        if not isinstance(value, dict):
            self.add(place, _("harus berupa objek { … }, bukan %(kind)s") % {"kind": _kind(value)})
            return False
        return True

    def integer(self, obj, key, *, low, high, default=None):
        value = obj.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(key, _("harus bilangan bulat %(low)s–%(high)s, bukan %(value)s") % {
                "low": low, "high": high, "value": json.dumps(value, default=str, ensure_ascii=False)})
            return None
        return value


def check_scheme(data, *, number=None):
    """Check a scheme dict in the documented format; return it cleaned (fields, requirements, instruments,
    units) or raise SchemeFileError listing every problem with its place."""
    c = _Checker()
    clean = {}
    if number:
        if data.get("number") not in (None, "", number):
            c.add("number", _("berkas ini untuk skema %(file)s, bukan %(given)s") % {
                "file": data.get("number"), "given": number})
        clean["number"] = number
    else:
        clean["number"] = c.text(data, "number", "", required=True, max_length=60)
    clean["title"] = c.text(data, "title", "", required=True, max_length=255)
    stype = c.text(data, "type", "", required=True)
    if stype and stype not in Scheme.Type.values:
        c.add("type", _("harus salah satu dari %(values)s, bukan \"%(value)s\"") % {
            "values": ", ".join(Scheme.Type.values), "value": stype})
    clean["type"] = stype
    if stype == Scheme.Type.KKNI:
        if data.get("kkni_level") is None:
            c.add("kkni_level", _("skema KKNI memerlukan jenjang 1–9"))
        clean["kkni_level"] = c.integer(data, "kkni_level", low=1, high=9)
    else:
        clean["kkni_level"] = None
    code = c.text(data, "code", "", max_length=60)
    if code and not SLUG.match(code):
        c.add("code", _("hanya huruf, angka, tanda - dan _ (dipakai di alamat halaman)"))
    clean["code"] = code
    for key in TEXT_FIELDS:
        if key in data:
            clean[key] = c.text(data, key, "", max_length=100 if key == "sector" else None)
    if data.get("validity_years") is not None:
        clean["validity_years"] = c.integer(data, "validity_years", low=1, high=10)
    if "fee" in data:
        fee = data["fee"]
        if isinstance(fee, bool) or not isinstance(fee, int | float) or fee < 0 or fee != int(fee):
            c.add("fee", _("harus bilangan bulat rupiah ≥ 0, bukan %(value)s") % {
                "value": json.dumps(fee, ensure_ascii=False, default=str)})
        else:
            clean["fee"] = int(fee)
    for key in ("is_active", "is_licensed"):
        if key in data:
            if not isinstance(data[key], bool):
                c.add(key, _("harus true atau false, bukan %(kind)s") % {"kind": _kind(data[key])})
            else:
                clean[key] = data[key]

    if "recertification" in data:
        clean["recertification"] = _recertification(c, data["recertification"])

    if "requirements" in data:
        clean["requirements"] = []
        for i, req in enumerate(c.items(data, "requirements", "") or []):
            place = f"requirements[{i}]"
            if not c.obj(req, place):
                continue
            kind = req.get("kind", Requirement.Kind.BASIC)
            if kind not in Requirement.Kind.values:
                c.add(f"{place}.kind", _("harus basic atau administrative, bukan %(value)s") % {
                    "value": json.dumps(kind, ensure_ascii=False, default=str)})
            text = c.text(req, "text", place, required=True)
            clean["requirements"].append((kind, text))

    units = c.items(data, "units", "", required=True)
    if units == [] and "units" in data:
        c.add("units", _("skema memerlukan minimal satu unit"))
    clean["units"] = []
    codes = {}
    for ui, u in enumerate(units or []):
        place = f"units[{ui}]"
        if not c.obj(u, place):
            continue
        ucode = c.text(u, "code", place, required=True, max_length=40)
        label = f"{place} ({ucode})" if ucode else place
        if ucode and ucode in codes:
            c.add(f"{place}.code", _("kode unit %(code)s sudah dipakai di %(other)s") % {"code": ucode, "other": codes[ucode]})
        elif ucode:
            codes[ucode] = place
        title = c.text(u, "title", place, required=True, max_length=300)
        std = u.get("standard_type") or Unit.StandardType.SKKNI
        if std not in Unit.StandardType.values:
            c.add(f"{place}.standard_type", _("harus salah satu dari %(values)s, bukan %(value)s") % {
                "values": ", ".join(Unit.StandardType.values), "value": json.dumps(std, ensure_ascii=False, default=str)})
        elements = c.items(u, "elements", place, required=True)
        if elements == []:
            c.add(f"{place}.elements", _("unit %(code)s tidak punya elemen; setiap unit perlu minimal satu elemen") % {
                "code": ucode or ""})
        clean_elements = []
        for ei, e in enumerate(elements or []):
            eplace = f"{place}.elements[{ei}]"
            if not c.obj(e, eplace):
                continue
            etitle = c.text(e, "title", eplace, required=True, max_length=300)
            criteria = c.items(e, "criteria", eplace, required=True)
            if criteria == []:
                c.add(f"{eplace}.criteria", _("elemen tidak punya KUK; setiap elemen perlu minimal satu KUK"))
            texts = []
            for ci, text in enumerate(criteria or []):
                cplace = f"{eplace}.criteria[{ci}]"
                if isinstance(text, str) and text.strip():
                    texts.append(text.strip())
                elif isinstance(text, str) or text is None:
                    c.add(cplace, _("kosong"))
                else:
                    c.add(cplace, _("harus berupa teks, bukan %(kind)s") % {"kind": _kind(text)})
            clean_elements.append((etitle, texts))
        clean["units"].append({"code": ucode, "title": title, "standard_type": std, "elements": clean_elements,
                               "label": label})
    if c.errors:
        raise SchemeFileError(c.errors)
    return clean


# --- writing it ---------------------------------------------------------------------------------------


def _first_difference(scheme, clean):
    """The place of the first difference between the scheme's frozen parts and the file's, or None."""
    units = list(scheme.units.prefetch_related("elements__criteria"))
    file_units = clean["units"]
    if len(units) != len(file_units):
        return "units", _("%(db)s unit di skema, %(file)s unit di berkas") % {"db": len(units), "file": len(file_units)}
    for ui, (u, fu) in enumerate(zip(units, file_units, strict=True)):
        for key in ("code", "title", "standard_type"):
            if getattr(u, key) != fu[key]:
                return f"units[{ui}].{key}", f"“{getattr(u, key)}” → “{fu[key]}”"
        elements = list(u.elements.all())
        if len(elements) != len(fu["elements"]):
            return f"units[{ui}].elements", _("%(db)s elemen di skema, %(file)s di berkas") % {
                "db": len(elements), "file": len(fu["elements"])}
        for ei, (e, (etitle, texts)) in enumerate(zip(elements, fu["elements"], strict=True)):
            if e.title != etitle:
                return f"units[{ui}].elements[{ei}].title", f"“{e.title}” → “{etitle}”"
            kuk = [k.text for k in e.criteria.all()]
            if len(kuk) != len(texts):
                return f"units[{ui}].elements[{ei}].criteria", _("%(db)s KUK di skema, %(file)s di berkas") % {
                    "db": len(kuk), "file": len(texts)}
            for ci, (old, new) in enumerate(zip(kuk, texts, strict=True)):
                if old != new:
                    return f"units[{ui}].elements[{ei}].criteria[{ci}]", f"“{old}” → “{new}”"
    if "requirements" in clean:
        reqs = [(r.kind, r.text) for r in scheme.requirements.order_by("order", "id")]
        if sorted(reqs, key=lambda r: r[0] != Requirement.Kind.BASIC) != \
                sorted(clean["requirements"], key=lambda r: r[0] != Requirement.Kind.BASIC):
            return "requirements", _("persyaratan di berkas berbeda dengan yang dipakai permohonan")
    return None


def frozen_message(scheme, n_cases, place, detail):
    return _("Skema %(number)s sudah dipakai oleh %(n)s permohonan, jadi unit, elemen, KUK dan persyaratannya "
             "dibekukan (permohonan dan rekaman asesmen merujuk ke sana). Berbeda di %(place)s: %(detail)s. "
             "Yang tetap boleh diubah: judul, teks brosur, biaya, masa berlaku, status aktif dan perangkat asesmen "
             "(MUK) — samakan bagian yang dibekukan dengan skema yang ada lalu muat lagi. Untuk mengubah unit, "
             "buat skema baru dengan nomor lain dan nonaktifkan skema ini.") % {
        "number": scheme.number, "n": n_cases, "place": place, "detail": detail}


@transaction.atomic
def load_scheme(data, *, number=None):
    """Create or update one scheme from a dict in the documented format; returns the Scheme with
    `load_summary` ({created, units, elements, criteria, changed}). Keys absent from the file keep the current
    value of an existing scheme."""
    clean = check_scheme(data, number=number)
    scheme = Scheme.objects.select_for_update().filter(number=clean["number"]).first()
    created = scheme is None
    if created:
        scheme = Scheme(number=clean["number"], code=clean["code"] or slugify(clean["title"])[:60])
    elif clean["code"]:
        scheme.code = clean["code"]
    fields = {k: clean[k] for k in ["title", "type", "kkni_level", "validity_years", "fee", "is_active",
                                    "is_licensed", "recertification", *TEXT_FIELDS] if k in clean}
    changed = sorted(k for k, v in fields.items() if created or getattr(scheme, k) != v)
    for key, value in fields.items():
        setattr(scheme, key, value)
    if not scheme.code:
        raise SchemeFileError(_("code: judul tidak menghasilkan alamat halaman; isi \"code\" (huruf, angka, -)."))
    if Scheme.objects.filter(code=scheme.code).exclude(pk=scheme.pk).exists():
        raise SchemeFileError(_("code: alamat \"%(code)s\" sudah dipakai skema lain; isi \"code\" yang lain.") % {
            "code": scheme.code})
    scheme.save()

    n_cases = 0 if created else scheme.cases.count()
    if n_cases:
        diff = _first_difference(scheme, clean)
        if diff:
            raise SchemeFileError(frozen_message(scheme, n_cases, *diff))
    else:
        if "requirements" in clean:
            scheme.requirements.all().delete()
            Requirement.objects.bulk_create([Requirement(scheme=scheme, kind=k, order=i, text=t)
                                             for i, (k, t) in enumerate(clean["requirements"], 1)])
    if not n_cases and (created or _first_difference(scheme, {"units": clean["units"]}) is not None):
        if not created:
            Criterion.objects.filter(element__unit__scheme=scheme).delete()
            Element.objects.filter(unit__scheme=scheme).delete()
            scheme.units.all().delete()
        units = Unit.objects.bulk_create([
            Unit(scheme=scheme, order=i, code=u["code"], title=u["title"], standard_type=u["standard_type"])
            for i, u in enumerate(clean["units"], 1)])
        elements, texts = [], []
        for unit, u in zip(units, clean["units"], strict=True):
            for ei, (title, kuk) in enumerate(u["elements"], 1):
                elements.append(Element(unit=unit, order=ei, title=title))
                texts.append(kuk)
        Element.objects.bulk_create(elements)
        Criterion.objects.bulk_create([
            Criterion(element=element, order=ci, number=f"{element.order}.{ci}", text=text)
            for element, kuk in zip(elements, texts, strict=True) for ci, text in enumerate(kuk, 1)])
        if not created:
            changed.append("units")
    for name, fn in _SECTIONS.items():
        if name in data:
            try:
                fn(scheme, data[name])
            except SchemeFileError:
                raise
            except ValueError as exc:
                raise SchemeFileError(str(exc)) from exc
    scheme.load_summary = {
        "created": created, "changed": changed, "units": len(clean["units"]),
        "elements": sum(len(u["elements"]) for u in clean["units"]),
        "criteria": sum(len(k) for u in clean["units"] for _t, k in u["elements"])}
    return scheme
