"""The roll-up of the assessment day's evidence (S4.2): KUK → element → unit → overall recommendation.

Evidence for a KUK comes from *sources*: the results the assessor recorded on the items of the plan's
instruments (IA.01–IA.04, IA.07–IA.11, kept here as ItemResult rows) and any source another module registers,
such as the written test (IA.05/IA.06):

    rollup.register_source("IA.05", fn)   # fn(case) -> {criterion_id: "K" / "BK" / None}, current round

A source that is not registered gives no evidence. The rules (DOMAIN §4, issue S4):

* a KUK is K when it has evidence and none of it is BK; BK when any evidence is BK; None without evidence;
* an element and a unit are K only when every KUK in them is K; BK when any is BK; otherwise None (incomplete);
* the overall recommendation is K only when every unit is K.
"""

from django.utils.translation import gettext as _

from kompeten.assessment.models import KBK, ItemResult
from kompeten.assessment.rounds import current_round
from kompeten.catalog import selectors as catalog

_SOURCES = {}


def register_source(code, fn):
    """Another module adds evidence (e.g. the written test's selector `written_results`)."""
    _SOURCES[code] = fn


def registered_sources():
    return dict(_SOURCES)


def combine(values):
    """K only when there is at least one result and none is BK; BK when any is BK; None otherwise."""
    values = [v for v in values if v in (KBK.K, KBK.BK)]
    if not values:
        return None
    return KBK.BK if KBK.BK in values else KBK.K


def _all(values):
    """An element/unit: K only when every part is K; BK when any is BK; None when some part has no evidence."""
    values = list(values)
    if any(v == KBK.BK for v in values):
        return KBK.BK
    if values and all(v == KBK.K for v in values):
        return KBK.K
    return None


def evidence_of(case):
    """{criterion id: [{"source": "FR.IA.01 #3", "result": "K", "note": str}]} from every source, in the case's
    current assessment round (rounds.py): an earlier round's evidence does not count for the new assessment."""
    out = {}
    rows = (ItemResult.objects.filter(case=case, round=current_round(case)).exclude(result="")
            .select_related("item__version__instrument").prefetch_related("item__criteria"))
    for row in rows:
        label = f"FR.{row.item.version.instrument.form} #{row.item.order}"
        for criterion in row.item.criteria.all():
            out.setdefault(criterion.pk, []).append({"source": label, "result": row.result, "note": row.note})
    for code, fn in _SOURCES.items():
        try:
            results = fn(case) or {}
        except LookupError:  # the source has nothing for this case
            results = {}
        for cid, value in results.items():
            if value in (KBK.K, KBK.BK):
                out.setdefault(int(cid), []).append({"source": f"FR.{code}", "result": value, "note": ""})
    return out


def rollup(case):
    """{"units": [{"unit", "result", "elements": [{"element", "result", "criteria": [{"criterion", "result",
    "evidence"}]}], "missing": [criterion …], "bk": [criterion …]}], "overall": "K" / "BK"}."""
    evidence = evidence_of(case)
    units = {}
    for element in catalog.scheme_elements(case.scheme):
        rows = []
        for criterion in element.criteria.all():
            ev = evidence.get(criterion.pk, [])
            rows.append({"criterion": criterion, "evidence": ev, "result": combine(e["result"] for e in ev)})
        units.setdefault(element.unit, []).append({"element": element, "criteria": rows,
                                                    "result": _all(r["result"] for r in rows)})
    out = []
    for unit, elements in units.items():
        flat = [r for e in elements for r in e["criteria"]]
        out.append({"unit": unit, "elements": elements, "result": _all(r["result"] for r in flat),
                    "missing": [r["criterion"] for r in flat if r["result"] is None],
                    "bk": [r["criterion"] for r in flat if r["result"] == KBK.BK]})
    overall = KBK.K if out and all(u["result"] == KBK.K for u in out) else KBK.BK
    return {"units": out, "overall": overall}


def unit_refusal(unit_row):
    """Why this unit cannot be K (naming its KUK), or None when its evidence allows K."""
    if unit_row["result"] == KBK.K:
        return None
    parts = []
    if unit_row["bk"]:
        parts.append(_("KUK %(kuk)s BK") % {"kuk": ", ".join(c.number for c in unit_row["bk"])})
    if unit_row["missing"]:
        parts.append(_("KUK %(kuk)s belum ada bukti") % {"kuk": ", ".join(c.number for c in unit_row["missing"])})
    return "; ".join(parts)
