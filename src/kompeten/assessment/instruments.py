"""The assessment tools (MUK) of a scheme: their content per form (FR.IA.01 … IA.11), versions and the FR.VA
validation that makes a version usable in a plan (S2.2).

* An instrument has versions; a version has items (a checklist row, a question, a task), each tied to the
  KUK it covers, with a form-specific payload checked here (`clean_item`).
* A version that is validated or put in a submitted plan is frozen: editing it makes a new draft version
  (a copy), so what was validated and used stays as it was.
* FR.VA: a validation record makes a draft version usable; whoever prepared the version may not validate it,
  and nobody is both author (penyusun) and validator.
* Answer keys, model and expected answers (SECRET_KEYS) are never given to a candidate: `candidate_item`
  is the only shape of an item meant for a candidate.

Every act here locks the version, checks the actor's role (admin or lead assessor), changes the records and
writes one action-log entry, in one transaction; a refusal raises WorkflowError/NotAllowed and changes nothing.
"""

import re
from contextlib import contextmanager

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompeten.assessment.models import (
    Instrument,
    InstrumentForm,
    InstrumentItem,
    InstrumentVersion,
    Validation,
)
from kompeten.catalog import selectors as catalog
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.concurrency import claim
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role

register_act_labels({
    "create_instrument": _("Perangkat asesmen (MUK) dibuat"),
    "new_instrument_version": _("Versi baru perangkat asesmen dibuat"),
    "edit_instrument": _("Isi perangkat asesmen diubah"),
    "validate_instrument": _("Perangkat asesmen divalidasi (FR.VA)"),
})

AUTHORS = {Role.ADMIN, Role.LEAD_ASSESSOR}
SECRET_KEYS = {"key", "answer"}
LETTERS = "abcde"

# What a form's item carries besides its text: (key, label, kind, required, secret). kind: text, int,
# options (3–5 options with exactly one key), rules (VATM subset), group (IA.11 group).
TEXT_LABEL = {
    "IA.01": _("Aktivitas yang diamati"), "IA.02": _("Skenario tugas"), "IA.03": _("Pertanyaan"),
    "IA.04A": _("Hal yang harus disiapkan, dilakukan atau dihasilkan"),
    "IA.04B": _("Lingkup penyajian proyek / kegiatan terstruktur"), "IA.05": _("Pertanyaan"),
    "IA.06": _("Pertanyaan"), "IA.07": _("Pertanyaan"), "IA.08": _("Bukti portofolio"),
    "IA.09": _("Pertanyaan wawancara"), "IA.10": _("Pertanyaan kepada pihak ketiga"),
    "IA.11": _("Pertanyaan reviu produk"),
}
FIELDS = {
    "IA.01": [("benchmark", _("Benchmark (SOP / spesifikasi produk industri)"), "text", True, False)],
    "IA.02": [("equipment", _("Perlengkapan dan peralatan"), "text", True, False),
              ("minutes", _("Waktu (menit)"), "int", True, False)],
    "IA.03": [("answer", _("Perkiraan jawaban (hanya untuk asesor)"), "text", False, True)],
    "IA.04A": [("demonstrate", _("Hal yang perlu didemonstrasikan / dipresentasikan"), "text", True, False)],
    "IA.04B": [("questions", _("Daftar pertanyaan setelah presentasi"), "text", True, False)],
    "IA.05": [("options", _("Pilihan jawaban"), "options", True, False),
              ("key", _("Kunci jawaban"), "key", True, True)],
    "IA.06": [("answer", _("Kunci jawaban (jawaban model)"), "text", True, True)],
    "IA.07": [("answer", _("Kunci jawaban (perkiraan jawaban)"), "text", True, True)],
    "IA.08": [("rules", _("Aturan bukti yang diperiksa"), "rules", True, False)],
    "IA.09": [("answer", _("Kesimpulan jawaban yang diharapkan (hanya untuk asesor)"), "text", False, True)],
    "IA.10": [],
    "IA.11": [("group", _("Kelompok"), "group", True, False)],
}
VATM = [("V", "Valid"), ("A", "Asli"), ("T", "Terkini"), ("M", "Memadai")]
IA11_GROUPS = [("spesifikasi", "Spesifikasi produk"), ("performa", "Performa produk atau Karakteristik produk"),
               ("keselamatan", "Keselamatan dan keamanan")]
# The MAPA.01 method column an instrument's form belongs to (FORMS.md §3: CL, DIT, DPL, DPT, VPK, CVP, CRP, PW).
FORM_METHOD = {"IA.01": "observasi", "IA.02": "observasi", "IA.03": "tanya_jawab", "IA.04A": "terstruktur",
               "IA.04B": "terstruktur", "IA.05": "tanya_jawab", "IA.06": "tanya_jawab", "IA.07": "tanya_jawab",
               "IA.08": "portofolio", "IA.09": "tanya_jawab", "IA.10": "pihak_ketiga", "IA.11": "reviu"}

# FR.VA (FORMS.md §24), quoted as printed.
VA_PERIODS = [("sebelum", "Sebelum Asesmen"), ("pada", "Pada Saat Asesmen"), ("setelah", "Setelah Asesmen")]
VA_PURPOSES = ["Bagian dari proses penjaminan mutu organisasi", "Mengantisipasi risiko",
               "Memenuhi persyaratan BNSP", "Memastikan kesesuaian bukti-bukti", "Meningkatkan kualitas asesmen",
               "Mengevaluasi kualitas perangkat asesmen"]
VA_CONTEXTS = ["Internal organisasi", "Eksternal organisasi", "Proses lisensi/re lisensi", "Dengan kolega asesor",
               "Kolega dari organisasi pelatihan atau asesmen"]
VA_APPROACHES = ["Panel asesmen", "Pertemuan moderasi", "Mengkaji perangkat asesmen", "Acuan pembanding",
                 "Pengujian lapangan dan uji coba perangkat asesmen", "Umpan balik dari klien"]
VA_BENCHMARKS = ["Standar kompetensi", "SOP/IK", "Manual Instruction/book", "Standar Kinerja"]
VA_DOCUMENTS = ["Skema sertifikasi", "SKKNI/SK3/SKI", "Perangkat asesmen", "Peraturan/Pedoman"]
VA_SKILLS = ["PRO AKTIF", "ACTIVE LISTENING"]
VA_ASPECTS = ["Proses asesmen", "Rencana asesmen", "Interpretasi standar kompetensi",
              "Interpretasi acuan pembanding lainnya", "Penyeleksian dan penerapan metode asesmen",
              "Penyeleksian dan penerapan perangkat asesmen", "Bukti-bukti yang dikumpulkan",
              "Proses pengambilan keputusan"]
VA_RULES = ["V", "A", "T", "M"]
VA_PRINCIPLES = ["V", "R", "F1", "F2"]  # Valid, Reliabel, Fleksibel, Fair (printed V R F F)


# --- what an item carries, checked per form ----------------------------------------------------------------


def clean_item(form, text, payload):
    """Check one item of `form`; return (text, payload) cleaned, or raise WorkflowError naming the field."""
    text = (text or "").strip()
    errors = {}
    if not text:
        errors["text"] = [_("%(what)s wajib diisi.") % {"what": TEXT_LABEL[form]}]
    out = {}
    payload = payload or {}
    for key, label, kind, required, _secret in FIELDS[form]:
        value = payload.get(key)
        if kind == "text":
            value = (value or "").strip() if isinstance(value, str) else ""
            if required and not value:
                errors[key] = [_("%(what)s wajib diisi.") % {"what": label}]
            elif value:
                out[key] = value
        elif kind == "int":
            try:
                value = int(value)
            except (TypeError, ValueError):
                value = 0
            if value <= 0 or value > 1440:
                errors[key] = [_("%(what)s harus bilangan menit 1–1440.") % {"what": label}]
            else:
                out[key] = value
        elif kind == "options":
            options = [str(o).strip() for o in (value or []) if str(o).strip()]
            if not 3 <= len(options) <= 5:
                errors[key] = [_("Soal pilihan ganda perlu 3 sampai 5 pilihan jawaban.")]
            elif len({o.casefold() for o in options}) != len(options):
                errors[key] = [_("Pilihan jawaban tidak boleh sama.")]
            out[key] = options
        elif kind == "key":
            options = out.get("options") or []
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < len(options):
                errors[key] = [_("Pilih tepat satu kunci jawaban di antara pilihan yang diisi.")]
            else:
                out[key] = value
        elif kind == "rules":
            rules = [r for r, _l in VATM if r in (value or [])]
            if not rules:
                errors[key] = [_("Pilih sedikitnya satu aturan bukti (V, A, T, M).")]
            out[key] = rules
        elif kind == "group":
            if value not in dict(IA11_GROUPS):
                errors[key] = [_("Pilih kelompok pertanyaan reviu produk.")]
            else:
                out[key] = value
    if errors:
        first = next(iter(errors.values()))[0]
        raise WorkflowError(first, field_errors=errors)
    return text, out


def candidate_item(item):
    """The only shape of an item meant for a candidate: no key, no model or expected answer."""
    return {"id": item.pk, "text": item.text,
            "options": list(item.payload.get("options") or []),
            **{k: v for k, v in item.payload.items() if k not in SECRET_KEYS and k != "options"}}


def key_strings(item):
    """The texts that must never reach a candidate (for tests and the key sheet)."""
    out = [item.payload[k] for k in ("answer",) if item.payload.get(k)]
    return out


def key_letter(item):
    return LETTERS[item.payload["key"]] if "key" in item.payload else ""


# --- reading ------------------------------------------------------------------------------------------------


def is_frozen(version):
    """A validated version, or one put in a plan, is never changed."""
    return version.status == InstrumentVersion.Status.VALIDATED or version.plans.exists()


def instruments_of(scheme):
    return (Instrument.objects.filter(scheme=scheme).prefetch_related("versions").order_by("form", "title", "id"))


def latest_version(instrument):
    return instrument.versions.order_by("-number").first()


def validated_versions(scheme):
    """Every validated version of the scheme's instruments, newest first per instrument."""
    return list(InstrumentVersion.objects.filter(instrument__scheme=scheme, status=InstrumentVersion.Status.VALIDATED)
                .select_related("instrument").order_by("instrument__form", "instrument__title", "-number"))


def covered_criteria(version):
    """{criterion id} covered by the items of this version."""
    return set(InstrumentItem.criteria.through.objects.filter(instrumentitem__version=version)
               .values_list("criterion_id", flat=True))


def coverage(scheme, versions_by_unit):
    """Per unit, per KUK, the versions (of those picked for that unit) whose items cover it:
    [{"unit", "rows": [{"criterion", "element", "versions": [version …]}], "uncovered": n}]."""
    pool = {v.pk: v for vs in versions_by_unit.values() for v in vs}
    covers = {pk: covered_criteria(v) for pk, v in pool.items()}
    out = []
    for element_group in _units_with_criteria(scheme):
        unit, rows = element_group
        picked = versions_by_unit.get(unit.pk, [])
        table = []
        for element, criterion in rows:
            table.append({"criterion": criterion, "element": element,
                          "versions": [v for v in picked if criterion.pk in covers[v.pk]]})
        out.append({"unit": unit, "rows": table, "uncovered": sum(1 for r in table if not r["versions"])})
    return out


def uncovered_labels(cov):
    return [f"{u['unit'].code} KUK {r['criterion'].number}" for u in cov for r in u["rows"] if not r["versions"]]


def _units_with_criteria(scheme):
    units = {}
    for element in catalog.scheme_elements(scheme):
        units.setdefault(element.unit, []).extend((element, c) for c in element.criteria.all())
    return list(units.items())


# --- acts ---------------------------------------------------------------------------------------------------


def _check_author(actor):
    if actor is None or not actor.is_authenticated or not (actor.role_set() & AUTHORS):
        raise NotAllowed(_("Perangkat asesmen (MUK) hanya boleh disusun dan divalidasi oleh admin LSP atau "
                           "lead asesor."))


@contextmanager
def _act(version, code, actor, *, data=None):
    """Lock the version, check the actor, let the caller change it, log the act; all or nothing."""
    _check_author(actor)
    data = {} if data is None else data
    with transaction.atomic():
        locked = InstrumentVersion.objects.select_for_update().select_related("instrument").get(pk=version.pk)
        yield locked
        log_action(actor, code, locked.instrument, data={"version": locked.number, **data})


def create_instrument(scheme, actor, *, form, title):
    """Admin or lead assessor: a new instrument of the scheme with an empty draft version 1."""
    _check_author(actor)
    title = (title or "").strip()
    if form not in InstrumentForm.values:
        raise WorkflowError(_("Pilih formulir perangkat asesmen (FR.IA.01 … FR.IA.11)."),
                            field_errors={"form": [_("Pilih formulir.")]})
    if not title:
        raise WorkflowError(_("Tuliskan judul perangkat asesmen."), field_errors={"title": [_("Judul wajib diisi.")]})
    with transaction.atomic():
        if Instrument.objects.filter(scheme=scheme, form=form, title=title).exists():
            raise WorkflowError(_("Perangkat FR.%(form)s dengan judul ini sudah ada.") % {"form": form},
                                field_errors={"title": [_("Judul sudah dipakai.")]})
        inst = Instrument.objects.create(scheme=scheme, form=form, title=title, created_by=actor)
        version = InstrumentVersion.objects.create(instrument=inst, number=1, prepared_by=actor,
                                                   authors=[_person(actor)])
        log_action(actor, "create_instrument", inst, data={"version": 1, "form": form})
    return version


def _person(user):
    met = getattr(getattr(user, "assessor", None), "met_number", "") if user else ""
    return {"name": user.display_name, "met": met or ""}


def _copy(locked, actor):
    """A new draft version with the items of `locked` (which stays as it was)."""
    inst = locked.instrument
    number = (inst.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    new = InstrumentVersion.objects.create(instrument=inst, number=number, content=dict(locked.content),
                                           authors=[_person(actor)], prepared_by=actor, based_on=locked)
    for item in locked.items.prefetch_related("criteria"):
        copy = InstrumentItem.objects.create(version=new, order=item.order, text=item.text, payload=item.payload)
        copy.criteria.set(item.criteria.all())
    log_action(actor, "new_instrument_version", inst, data={"version": number, "based_on": locked.number})
    return new


def _editable(locked, actor):
    return _copy(locked, actor) if is_frozen(locked) else locked


def _criteria_of_scheme(scheme, ids):
    valid = {c.pk: c for _e, c in flat_criteria(scheme)}
    wanted = [int(i) for i in ids or [] if str(i).isdigit()]
    bad = [i for i in wanted if i not in valid]
    if bad or not wanted:
        raise WorkflowError(_("Pilih sedikitnya satu KUK skema ini yang dicakup butir ini."),
                            field_errors={"criteria": [_("Pilih KUK yang dicakup.")]})
    return [valid[i] for i in wanted]


def flat_criteria(scheme):
    return [(e, c) for e in catalog.scheme_elements(scheme) for c in e.criteria.all()]


def save_item(version, actor, *, text, payload, criteria, item_id=None, edit_version=None):
    """Admin or lead assessor: add or change one item. On a frozen version the change goes into a new draft
    version (a copy); returns the version that holds the change. `edit_version`: the item's edit_version the form
    was opened on (core.concurrency: a conflict is refused; the version row is locked, so edits are serialised)."""
    with _act(version, "edit_instrument", actor) as locked:
        form = locked.instrument.form
        text, payload = clean_item(form, text, payload)
        chosen = _criteria_of_scheme(locked.instrument.scheme, criteria)
        target = _editable(locked, actor)
        if item_id:
            old = locked.items.filter(pk=item_id).first()
            if old is None:
                raise WorkflowError(_("Butir ini bukan bagian dari versi ini."))
            claim(old, edit_version, logged_on=locked.instrument)  # saved with the item below (a frozen version's copy starts again at 0)
            item = target.items.get(order=old.order) if target.pk != locked.pk else old
            item.text, item.payload = text, payload
            item.save()
        else:
            order = (target.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
            item = InstrumentItem.objects.create(version=target, order=order, text=text, payload=payload)
        item.criteria.set(chosen)
    return target


def delete_item(version, actor, *, item_id):
    """Admin or lead assessor: remove one item (from a new version when this one is frozen)."""
    with _act(version, "edit_instrument", actor, data={"removed": True}) as locked:
        old = locked.items.filter(pk=item_id).first()
        if old is None:
            raise WorkflowError(_("Butir ini bukan bagian dari versi ini."))
        target = _editable(locked, actor)
        target.items.filter(order=old.order).delete()
    return target


def _norm(person):
    return (re.sub(r"\s+", " ", (person.get("name") or "")).strip().casefold(),
            re.sub(r"\W", "", (person.get("met") or "")).casefold())


def _same_person(a, b):
    (na, ma), (nb, mb) = _norm(a), _norm(b)
    return (na and na == nb) or (ma and ma == mb)


def validate_version(version, actor, *, data):
    """Admin or lead assessor (S2.2, FR.VA): records the validation of a draft version, which makes it usable
    in a plan. Refused when the version is empty, already validated or in use, when any item lacks what its
    form needs or a KUK, or when the person who prepared it, or any author, is also its validator."""
    errors = {}
    with _act(version, "validate_instrument", actor) as locked:
        if locked.status == InstrumentVersion.Status.VALIDATED:
            raise WorkflowError(_("Versi ini sudah divalidasi."))
        items = list(locked.items.prefetch_related("criteria"))
        if not items:
            raise WorkflowError(_("Versi ini belum berisi butir; isi dulu sebelum divalidasi."))
        form = locked.instrument.form
        for item in items:
            try:
                clean_item(form, item.text, item.payload)
            except WorkflowError as exc:
                raise WorkflowError(_("Butir %(n)s belum lengkap: %(why)s") % {"n": item.order, "why": exc}) from exc
            if not item.criteria.exists():
                raise WorkflowError(_("Butir %(n)s belum dikaitkan dengan KUK.") % {"n": item.order})
        team = [{"name": (p.get("name") or "").strip(), "met": (p.get("met") or "").strip()}
                for p in data.get("team") or [] if (p.get("name") or "").strip()]
        me = _person(actor)
        if not any(_same_person(me, p) for p in team):
            team.insert(0, me)
        if locked.prepared_by_id == actor.pk:
            raise WorkflowError(_("Anda menyusun versi ini, sehingga tidak boleh memvalidasinya. Validasi harus "
                                  "dilakukan oleh orang lain."))
        clash = [p["name"] for p in team if any(_same_person(p, a) for a in locked.authors)]
        if clash:
            raise WorkflowError(_("Penyusun tidak boleh sekaligus menjadi validator: %(names)s.")
                                % {"names": ", ".join(clash)}, field_errors={"team": [_("Ganti validator.")]})
        period = data.get("period")
        if period not in dict(VA_PERIODS):
            errors["period"] = [_("Pilih periode validasi (sebelum, pada saat atau setelah asesmen).")]
        if not data.get("date"):
            errors["date"] = [_("Isi tanggal validasi.")]
        place = (data.get("place") or "").strip()
        if not place:
            errors["place"] = [_("Isi tempat validasi.")]
        matrix = {a: {"rules": [r for r in VA_RULES if r in (data.get("matrix") or {}).get(a, {}).get("rules", [])],
                      "principles": [p for p in VA_PRINCIPLES
                                     if p in (data.get("matrix") or {}).get(a, {}).get("principles", [])]}
                  for a in VA_ASPECTS}
        if not any(m["rules"] or m["principles"] for m in matrix.values()):
            errors["matrix"] = [_("Centang pemenuhan aturan bukti dan prinsip asesmen untuk aspek yang ditinjau.")]
        if errors:
            raise WorkflowError(next(iter(errors.values()))[0], field_errors=errors)
        setup = {k: [x for x in (data.get("setup") or {}).get(k, []) if x in allowed]
                 for k, allowed in [("purposes", VA_PURPOSES), ("contexts", VA_CONTEXTS),
                                    ("approaches", VA_APPROACHES), ("benchmarks", VA_BENCHMARKS),
                                    ("documents", VA_DOCUMENTS), ("skills", VA_SKILLS)]}
        findings = [{"finding": (f.get("finding") or "").strip(), "recommendation": (f.get("recommendation") or "").strip()}
                    for f in data.get("findings") or [] if (f.get("finding") or "").strip()]
        plan = [{"activity": (a.get("activity") or "").strip(), "due": (a.get("due") or "").strip(),
                 "owner": (a.get("owner") or "").strip()} for a in data.get("action_plan") or []
                if (a.get("activity") or "").strip()]
        record = Validation.objects.create(version=locked, period=period, date=data["date"], place=place,
                                           setup=setup, matrix=matrix, findings=findings, action_plan=plan,
                                           team=team, validated_by=actor)
        locked.status = InstrumentVersion.Status.VALIDATED
        locked.save(update_fields=["status"])
    version.refresh_from_db()
    return record


# --- the scheme file's "instruments" section (catalog.loader.register_section) -------------------------------


def _criteria_refs(scheme):
    """{"UNIT": [criteria], "UNIT:1.1": [criterion]} for the scheme file's KUK references."""
    refs = {}
    for e, c in flat_criteria(scheme):
        refs.setdefault(e.unit.code, []).append(c)
        refs[f"{e.unit.code}:{c.number}"] = [c]
    return refs


def _file_items(form, entries, refs, where):
    out = []
    for n, entry in enumerate(entries or [], 1):
        payload = {k: v for k, v in entry.items() if k not in {"text", "kuk"}}
        if form == "IA.05" and isinstance(payload.get("key"), str):
            payload["key"] = LETTERS.find(payload["key"].strip().lower())
        try:
            text, payload = clean_item(form, entry.get("text"), payload)
        except WorkflowError as exc:
            raise ValueError(f"{where} item {n}: {exc}") from exc
        criteria = []
        for ref in entry.get("kuk") or []:
            if ref not in refs:
                raise ValueError(f"{where} item {n}: unknown KUK {ref}")
            criteria += refs[ref]
        if not criteria:
            raise ValueError(f"{where} item {n}: 'kuk' is required")
        out.append((text, payload, criteria))
    return out


def _same_content(version, items):
    have = [(i.text, i.payload, sorted(c.pk for c in i.criteria.all())) for i in version.items.prefetch_related("criteria")]
    return have == [(t, p, sorted(c.pk for c in cs)) for t, p, cs in items]


def load_instruments(scheme, entries):
    """Read the scheme file's instruments: [{form, title, authors: [{name, met}], items: [{text, kuk, …}]}].
    An unchanged instrument is left alone; a changed one gets its draft replaced, or a new draft version
    when its latest version is validated or in use. Instruments missing from the file are kept."""
    if not isinstance(entries, list):
        raise ValueError("instruments: a list is expected")
    refs = _criteria_refs(scheme)
    for n, entry in enumerate(entries, 1):
        form, title = entry.get("form"), (entry.get("title") or "").strip()
        where = f"instrument {n} ({form})"
        if form not in InstrumentForm.values:
            raise ValueError(f"{where}: unknown form")
        if not title:
            raise ValueError(f"{where}: 'title' is required")
        items = _file_items(form, entry.get("items"), refs, where)
        authors = [{"name": a.get("name", ""), "met": a.get("met", "")} for a in entry.get("authors") or []]
        inst, _created = Instrument.objects.get_or_create(scheme=scheme, form=form, title=title)
        latest = latest_version(inst)
        if latest is not None and _same_content(latest, items):
            continue
        if latest is None or is_frozen(latest):
            number = latest.number + 1 if latest else 1
            latest = InstrumentVersion.objects.create(instrument=inst, number=number, authors=authors,
                                                      based_on=latest)
        else:
            latest.items.all().delete()
            latest.authors = authors
            latest.save(update_fields=["authors"])
        # In bulk: a real MUK holds hundreds of items, each with its KUK (three statements, not three per item).
        made = InstrumentItem.objects.bulk_create(
            [InstrumentItem(version=latest, order=order, text=text, payload=payload)
             for order, (text, payload, _criteria) in enumerate(items, 1)])
        through = InstrumentItem.criteria.through
        through.objects.bulk_create(
            [through(instrumentitem_id=item.pk, criterion_id=c.pk)
             for item, (_text, _payload, criteria) in zip(made, items, strict=True) for c in {c.pk: c for c in criteria}.values()])
