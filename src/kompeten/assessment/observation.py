"""The assessment day (S3.2) as the assessor records it: per item of the plan's instruments a K/BK and a note,
saved one tap at a time (observation IA.01 with its supporting questions IA.03, oral questions IA.07,
interview IA.09, portfolio IA.08 with VATM per uploaded document, third-party verification IA.10, product
review IA.11, and the practical and project tasks IA.02/IA.04).

* Only the case's assessor, only while the case is being assessed (`record_evidence` in the workflow table),
  only for items of the instrument versions in the event's approved plan.
* Every save is idempotent: it sets the given fields to the given values (tapping K twice leaves K), so a
  retried request or a reload changes nothing. The first result on an instrument writes one action-log entry.
* Once FR.AK.02 is recorded the case leaves `in_assessment` and these rows are never changed again.

The written test (IA.05/IA.06) is taken by the candidate elsewhere; its state on the candidate's page comes
from what that module registers (`register_state`), its evidence through `rollup.register_source`.
"""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment.models import KBK, AssessmentPlan, InstrumentItem, ItemResult
from kompeten.assessment.rounds import current_round
from kompeten.cases import selectors as cases
from kompeten.cases.workflow import check
from kompeten.core.actions import log_action
from kompeten.core.errors import WorkflowError

ACT = "record_evidence"
# The forms the assessor fills on a screen during the assessment; IA.05/IA.06 are the candidate's written test.
ASSESSOR_FORMS = {"IA.01", "IA.02", "IA.03", "IA.04A", "IA.04B", "IA.07", "IA.08", "IA.09", "IA.10", "IA.11"}
_STATES = {}


def register_state(form, fn):
    """Another module reports the state of its instrument: fn(case, version, round) -> (done, total)."""
    _STATES[form] = fn


def approved_plan(event):
    """The newest approved plan version of the event, or None."""
    if event is None:
        return None
    return event.plans.filter(status=AssessmentPlan.Status.APPROVED).order_by("-version").first()


def plan_versions(case):
    """The instrument versions of the case's approved plan, in form order."""
    plan = approved_plan(case.event if case.event_id else None)
    if plan is None:
        return []
    return list(plan.instrument_versions.select_related("instrument")
                .order_by("instrument__form", "instrument__title", "id"))


def plan_version(case, version_pk):
    """One version of the plan, or a clear refusal."""
    for v in plan_versions(case):
        if v.pk == version_pk:
            return v
    raise WorkflowError(_("Perangkat asesmen ini tidak termasuk rencana asesmen (MAPA) jadwal asesi ini."))


def results_of(case, version, round=None):
    """{item id: ItemResult} of this case on this version, in `round` (default: the current assessment round)."""
    round = round or current_round(case)
    return {r.item_id: r for r in ItemResult.objects.filter(case=case, round=round, item__version=version)}


def state_of(case, version, results=None, round=None):
    """{"done", "total", "state": "not_started" / "in_progress" / "done", "k", "bk"} of one instrument in `round`
    (default: the current one)."""
    form = version.instrument.form
    round = round or current_round(case)
    if form not in ASSESSOR_FORMS:
        fn = _STATES.get(form)
        done, total = fn(case, version, round) if fn else (0, version.items.count())
        k = bk = None
    else:
        results = results if results is not None else results_of(case, version, round)
        total = version.items.count()
        marked = [r for r in results.values() if r.result]
        done, k = len(marked), sum(1 for r in marked if r.result == KBK.K)
        bk = done - k
    state = "not_started" if not done else ("done" if done >= total else "in_progress")
    return {"done": done, "total": total, "state": state, "k": k, "bk": bk}


def instrument_states(case, round=None):
    """[{"version", "form", "fillable", …state}] for every instrument of the plan (the candidate's page), in
    `round` (default: the current one)."""
    out = []
    for v in plan_versions(case):
        out.append({"version": v, "form": v.instrument.form, "fillable": v.instrument.form in ASSESSOR_FORMS,
                    **state_of(case, v, round=round)})
    return out


def documents_for_portfolio(case):
    """The candidate's uploaded evidence (current versions) the IA.08 portfolio is checked against."""
    return cases.current_documents(case)


def _clean_checks(case, checks):
    docs = {d.pk for d in cases.current_documents(case)}
    out = {}
    for doc_id, rules in (checks or {}).items():
        if not str(doc_id).isdigit() or int(doc_id) not in docs:
            raise WorkflowError(_("Dokumen ini bukan bukti yang diunggah asesi ini."))
        out[str(int(doc_id))] = [r for r, _label in I.VATM if r in (rules or [])]
    return out


def save_item_result(case, actor, *, item_id, result=None, note=None, checks=None):
    """The case's assessor, during the assessment: sets the K/BK (`result`: "K", "BK" or "" to clear), the
    note, and/or (IA.08) the VATM ticks of documents (`checks`: {document id: ["V", …]}) of one item.
    Fields left None are kept. Returns the saved ItemResult."""
    if result is not None and result not in ("", KBK.K, KBK.BK):
        raise WorkflowError(_("Pilih K atau BK."))
    if note is not None and len(note) > 2000:
        raise WorkflowError(_("Catatan terlalu panjang (paling banyak 2000 karakter)."))
    with transaction.atomic():
        locked = type(case).objects.select_for_update().get(pk=case.pk)
        check(actor, locked, ACT)
        item = InstrumentItem.objects.select_related("version__instrument").filter(pk=item_id).first()
        if item is None:
            raise WorkflowError(_("Butir perangkat asesmen tidak ditemukan."))
        version = plan_version(locked, item.version_id)
        if version.instrument.form not in ASSESSOR_FORMS:
            raise WorkflowError(_("Tes tertulis diisi oleh asesi, bukan di layar ini."))
        if checks is not None and version.instrument.form != "IA.08":
            raise WorkflowError(_("Ceklis VATM hanya untuk verifikasi portofolio (FR.IA.08)."))
        clean = _clean_checks(locked, checks) if checks is not None else None
        round = current_round(locked)  # an earlier round's results are never changed again
        started = ItemResult.objects.filter(case=locked, round=round, item__version=version).exists()
        row = ItemResult.objects.filter(case=locked, round=round, item=item).first() or ItemResult(
            case=locked, round=round, item=item, recorded_by=actor)
        earlier = row.result
        if result is not None:
            row.result = result
        if note is not None:
            row.note = note.strip()
        if clean is not None:
            row.checks = {**row.checks, **clean}
        row.recorded_by = actor
        row.save()
        if not started:
            log_action(actor, ACT, locked, data={"instrument": version.code, "round": round},
                       status_before=locked.status,
                       status_after=locked.status)
        elif earlier and row.result != earlier:
            # A K/BK already given and then changed is logged with both values: no silent change of a judgement.
            # (The first tick of each item and the notes are working marks, logged once per instrument.)
            log_action(actor, ACT, locked, data={"instrument": version.code, "round": round, "item": item.pk,
                                                 "result_before": earlier, "result_after": row.result},
                       status_before=locked.status, status_after=locked.status)
    return row
