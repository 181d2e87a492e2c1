"""The acts of S2.2–S4.5, one service per act of the workflow table (cases/workflow.py).

Each act runs inside `transition()` (lock, role/status check, action log); a refusal raises WorkflowError
with a clear Indonesian message (and field_errors for forms), and nothing is saved."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment import rollup, rounds
from kompeten.assessment import wording as W
from kompeten.assessment.models import (
    KBK,
    Adjustment,
    Agreement,
    Apl02Review,
    AssessmentPlan,
    AssessmentRecord,
    Attendance,
    Consultation,
    CriterionResult,
    Feedback,
    Report,
    ResourceCheck,
    Review,
    UnitResult,
)
from kompeten.cases.workflow import ACTS, check, roles_for, transition
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_date
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.notify import lazy_text, notify
from kompeten.core.versions import supersede, superseded_by_last

register_act_labels({"record_absence": _("Asesi dicatat tidak hadir")})


def _require(errors):
    """Raise one WorkflowError listing every field problem (nothing is saved)."""
    if errors:
        first = next(iter(errors.values()))
        msg = first[0] if isinstance(first, list) else first
        raise WorkflowError(msg, field_errors=errors)


def _keys(pairs):
    return {k for k, _label in pairs}


# --- S2.2 the assessment plan (MAPA.01/02) -----------------------------------------------------------


def latest_plan(event):
    return event.plans.order_by("-version").first()


def plan_approved(event):
    plan = latest_plan(event)
    return plan is not None and plan.status == AssessmentPlan.Status.APPROVED


def plan_waiting_or_approved(event, user=None):
    """Done-check for submit_plan: nothing to submit while a version waits or once one is approved."""
    plan = latest_plan(event)
    return plan is not None and plan.status in (AssessmentPlan.Status.SUBMITTED, AssessmentPlan.Status.APPROVED)


def no_plan_waiting(event, user=None):
    """Done-check for approve_plan/return_plan: only while a submitted version waits."""
    plan = latest_plan(event)
    return plan is None or plan.status != AssessmentPlan.Status.SUBMITTED


def _clean_plan(event, data):
    """Validate MAPA.01/MAPA.02 data against the scheme's units and instruments; return (mapa01, mapa02)."""
    m1 = dict(data.get("mapa01") or {})
    m2 = dict(data.get("mapa02") or {})
    errors = {}
    potensi = [p for p in m1.get("potensi", []) if p in _keys(W.POTENSI)]
    if not potensi:
        errors["potensi"] = [_("Pilih sedikitnya satu potensi asesi (1–5).")]
    if m1.get("purpose") not in _keys(W.MAPA_PURPOSES):
        errors["purpose"] = [_("Pilih tujuan asesmen.")]
    if m1.get("purpose") == "lainnya" and not (m1.get("purpose_other") or "").strip():
        errors["purpose_other"] = [_("Tuliskan tujuan asesmen lainnya.")]
    if not [b for b in m1.get("benchmark", []) if b in _keys(W.MAPA_BENCHMARK)]:
        errors["benchmark"] = [_("Pilih sedikitnya satu acuan (standar industri atau tempat kerja).")]
    scheme = event.scheme
    validated = {v.pk: v for v in I.validated_versions(scheme)}
    newest_of_form = {}
    for v in validated.values():
        newest_of_form.setdefault(v.instrument.form, v)
    forms = {i.form for i in I.instruments_of(scheme)}
    units = {str(u.pk): u for u in scheme.units.all()}
    plan_units = m1.get("units") or {}
    missing, rows, picked = [], {}, {}
    for uid, unit in units.items():
        row = plan_units.get(uid) or {}
        versions, bad = _plan_versions(row, validated, newest_of_form)
        if bad:
            errors[f"unit_{uid}"] = [_("Perangkat %(forms)s bukan perangkat asesmen (MUK) tervalidasi skema ini.")
                                     % {"forms": ", ".join(sorted(set(bad)))}]
        if not (row.get("evidence") or "").strip() or not row.get("evidence_types") or not versions:
            missing.append(unit.code)
        methods = {}
        for v in versions:
            key = I.FORM_METHOD[v.instrument.form]
            methods[key] = ", ".join(filter(None, [methods.get(key), v.instrument.form]))
        rows[uid] = {"evidence": (row.get("evidence") or "").strip(), "evidence_types": row.get("evidence_types") or [],
                     "methods": methods, "versions": [v.pk for v in versions]}
        picked[unit.pk] = versions
    if missing:
        errors["units"] = [_("Lengkapi bukti, jenis bukti (L/TL/T) dan perangkat asesmen untuk unit: %(units)s.")
                           % {"units": ", ".join(missing)}]
    elif not errors:
        uncovered = I.uncovered_labels(I.coverage(scheme, picked))
        if uncovered:
            errors["coverage"] = [_("KUK berikut belum dicakup perangkat asesmen mana pun: %(kuk)s. Pilih perangkat "
                                    "yang mencakupnya.") % {"kuk": ", ".join(uncovered)}]
    m1["units"] = rows
    m2 = {form: sorted(p for p in (pots or []) if p in _keys(W.POTENSI)) for form, pots in m2.items()
          if form in forms}
    if not any(m2.values()):
        errors["mapa02"] = [_("Petakan sedikitnya satu perangkat asesmen ke potensi asesi (FR.MAPA.02).")]
    _require(errors)
    return m1, m2


def _plan_versions(row, validated, newest_of_form):
    """The validated versions a unit row of the plan picks: by id ("versions"), or, for plans written before
    instruments had versions, by form code per method ("methods": {"observasi": "IA.01"}), taking the newest
    validated version of that form. Returns (versions, what was not a validated version of the scheme)."""
    out, bad = [], []
    if row.get("versions") is not None:
        for pk in row.get("versions") or []:
            v = validated.get(int(pk)) if str(pk).isdigit() else None
            (out.append(v) if v else bad.append(f"#{pk}"))
    else:
        for value in (row.get("methods") or {}).values():
            for code in [c.strip() for c in str(value or "").split(",") if c.strip()]:
                v = newest_of_form.get(code)
                (out.append(v) if v else bad.append(code))
    return list(dict.fromkeys(out)), bad


def plan_coverage(event, plan):
    """Per unit and KUK, the instrument versions of the plan that cover it (the S2.2 coverage view)."""
    by_pk = {v.pk: v for v in plan.instrument_versions.select_related("instrument")}
    picked = {int(uid): [by_pk[pk] for pk in row.get("versions") or [] if pk in by_pk]
              for uid, row in (plan.mapa01.get("units") or {}).items()}
    return I.coverage(event.scheme, picked)


def submit_plan(event, actor, *, data):
    """Assessor assigned to the event (S2.2): submits a new version of MAPA.01 + MAPA.02 for approval.
    Earlier versions are kept; the lead assessors and admins are told."""
    with transition(event, "submit_plan", actor, data={}) as ev:
        mapa01, mapa02 = _clean_plan(ev, data)
        last = latest_plan(ev)
        plan = AssessmentPlan.objects.create(event=ev, version=(last.version + 1) if last else 1,
                                             mapa01=mapa01, mapa02=mapa02, submitted_by=actor)
        plan.instrument_versions.set({pk for row in mapa01["units"].values() for pk in row["versions"]})
    reviewers = get_user_model().objects.filter(roles__role__in=[Role.LEAD_ASSESSOR, Role.ADMIN]).distinct()
    notify(list(reviewers), lazy_text(_("Rencana asesmen %(event)s menunggu persetujuan"), event=event.number),
           url=event.get_absolute_url(), about=event, asks=("approve_plan", "return_plan"))
    return plan


def _pending_plan(ev):
    plan = latest_plan(ev)
    if plan is None or plan.status != AssessmentPlan.Status.SUBMITTED:
        raise WorkflowError(_("Tidak ada rencana asesmen yang menunggu persetujuan."))
    return plan


def approve_plan(event, actor):
    """Lead assessor or admin (S2.2): approves the latest submitted plan version."""
    with transition(event, "approve_plan", actor) as ev:
        plan = _pending_plan(ev)
        uncovered = I.uncovered_labels(plan_coverage(ev, plan))
        if uncovered:
            raise WorkflowError(_("Rencana tidak dapat disetujui: KUK berikut belum dicakup perangkat asesmen mana "
                                  "pun: %(kuk)s. Kembalikan rencana ke asesor.") % {"kuk": ", ".join(uncovered)})
        plan.status = AssessmentPlan.Status.APPROVED
        plan.reviewed_by, plan.reviewed_at = actor, timezone.now()
        plan.save()
    notify([plan.submitted_by], lazy_text(_("Rencana asesmen %(event)s disetujui"), event=event.number),
           url=event.get_absolute_url())
    return plan


def return_plan(event, actor, *, comments):
    """Lead assessor or admin (S2.2): returns the latest plan with comments; the assessor resubmits."""
    comments = (comments or "").strip()
    with transition(event, "return_plan", actor, reason=comments) as ev:
        plan = _pending_plan(ev)
        if not comments:
            raise WorkflowError(_("Tuliskan catatan perbaikan untuk asesor."),
                                field_errors={"comments": [_("Catatan wajib diisi.")]})
        plan.status = AssessmentPlan.Status.RETURNED
        plan.reviewed_by, plan.reviewed_at, plan.review_comments = actor, timezone.now(), comments
        plan.save()
    notify([plan.submitted_by], lazy_text(_("Rencana asesmen %(event)s dikembalikan"), event=event.number),
           body=comments, url=event.get_absolute_url(), about=event, asks=("submit_plan",))
    return plan


# --- S3.1 readiness on the event -------------------------------------------------------------------


def latest_resource_check(event):
    return event.resource_checks.order_by("-checked_at", "-id").first()


def check_resources(event, actor, *, items, note=""):
    """Admin or head of the event's TUK (S3.1): records the readiness checklist (who, when, which items)."""
    items = {code: bool(items.get(code)) for code, _label in W.RESOURCE_ITEMS}
    all_ok = all(items.values())
    with transition(event, "check_resources", actor, reason=note, data={"items": items, "all_ok": all_ok}) as ev:
        if not all_ok and not (note or "").strip():
            raise WorkflowError(_("Tuliskan catatan untuk butir yang belum siap."),
                                field_errors={"note": [_("Catatan wajib diisi bila ada butir yang belum siap.")]})
        rc = ResourceCheck.objects.create(event=ev, items=items, all_ok=all_ok, note=note or "", checked_by=actor)
    return rc


# --- S2.3 consultation and FR.AK.01 ------------------------------------------------------------------


def record_consultation(case, actor, *, notes):
    """The case's assessor (S2.3): records the pre-assessment consultation notes."""
    notes = (notes or "").strip()
    with transition(case, "record_consultation", actor) as c:
        if not notes:
            raise WorkflowError(_("Tuliskan catatan konsultasi pra-asesmen."),
                                field_errors={"notes": [_("Catatan wajib diisi.")]})
        return Consultation.objects.create(case=c, notes=notes, recorded_by=actor)


def agreement_signed_by(case, user):
    """Done-check for sign_agreement: has `user` already signed the case's FR.AK.01?"""
    ag = Agreement.objects.filter(case=case).first()
    if ag is None:
        return False
    if case.candidate_id == user.pk:
        return ag.candidate_signed_at is not None
    return ag.assessor_signed_at is not None


def sign_agreement(case, actor, *, evidence=None, evidence_other="", date=None, time="", site_name=""):
    """FR.AK.01 (S2.3). The case's assessor fills the evidence to collect, date, time and TUK and signs
    first; then the candidate reads the statements and signs. When both have signed, complete_agreement
    moves the case confirmed → agreed. A second signature by the same party is refused."""
    with transaction.atomic():
        with transition(case, "sign_agreement", actor) as c:
            mine = roles_for(actor, c)
            ag = Agreement.objects.filter(case=c).first()
            if Role.ASSESSOR in mine:
                if ag and ag.assessor_signed_at:
                    raise WorkflowError(_("Anda sudah menandatangani FR.AK.01 ini."))
                evidence = [e for e in (evidence or []) if e in _keys(W.AK01_EVIDENCE)]
                errors = {}
                if not evidence:
                    errors["evidence"] = [_("Pilih sedikitnya satu bukti yang akan dikumpulkan.")]
                if "lainnya" in evidence and not (evidence_other or "").strip():
                    errors["evidence_other"] = [_("Tuliskan bukti lainnya.")]
                if not date:
                    errors["date"] = [_("Isi hari/tanggal pelaksanaan asesmen.")]
                if not (time or "").strip():
                    errors["time"] = [_("Isi waktu pelaksanaan asesmen.")]
                if not (site_name or "").strip():
                    errors["site_name"] = [_("Isi TUK tempat asesmen.")]
                _require(errors)
                ag = ag or Agreement(case=c)
                ag.evidence, ag.evidence_other = evidence, (evidence_other or "").strip()
                ag.date, ag.time, ag.site_name = date, time.strip(), site_name.strip()
                ag.assessor_signed_by, ag.assessor_signed_at = actor, timezone.now()
                ag.save()
                signer = "assessor"
            else:  # the candidate
                if ag is None or ag.assessor_signed_at is None:
                    raise WorkflowError(_("FR.AK.01 belum diisi dan ditandatangani asesor. Tunggu asesor Anda."))
                if ag.candidate_signed_at:
                    raise WorkflowError(_("Anda sudah menandatangani FR.AK.01 ini."))
                ag.candidate_signed_at = timezone.now()
                ag.save()
                signer = "candidate"
        complete = ag.assessor_signed_at and ag.candidate_signed_at
        if complete:
            with transition(case, "complete_agreement", actor):
                pass
    if signer == "assessor":
        notify([case.candidate], _("FR.AK.01 siap Anda tanda tangani"), url=case.get_absolute_url(),
               about=case, asks=("sign_agreement",), by_recipient=True)
    elif case.assessor_id:
        notify([case.assessor.user], lazy_text(_("Asesi menandatangani FR.AK.01 (%(number)s)"), number=case.number),
               url=case.get_absolute_url())
    return ag


# --- S2.4 FR.AK.07 -----------------------------------------------------------------------------------


def record_adjustment(case, actor, *, data, reason=""):
    """The case's assessor (S2.4): records FR.AK.07 — potensi asesi, for each of the eight characteristics
    whether an adjustment is needed and which, and the agreed result. A recorded FR.AK.07 is never edited:
    recording again is a correction, a new record with its `reason` that supersedes the old one (kept)."""
    potensi = [p for p in data.get("potensi", []) if p in _keys(W.POTENSI)]
    rows = list(data.get("characteristics") or [])
    errors = {}
    if not potensi:
        errors["potensi"] = [_("Pilih sedikitnya satu potensi asesi.")]
    clean_rows = []
    for i, (_text, options) in enumerate(W.AK07_CHARACTERISTICS):
        row = rows[i] if i < len(rows) else {}
        needed = row.get("needed")
        if needed not in (True, False):
            errors[f"char_{i}"] = [_("Pilih Ya atau Tidak.")]
            continue
        chosen = sorted({int(o) for o in row.get("options", []) if str(o).isdigit() and int(o) < len(options)})
        if needed and not chosen and not (row.get("note") or "").strip():
            errors[f"char_{i}"] = [_("Pilih penyesuaian yang diperlukan atau tuliskan keterangannya.")]
        clean_rows.append({"needed": needed, "options": chosen if needed else [],
                           "note": (row.get("note") or "").strip() if needed else ""})
    results = {k: (data.get("results", {}).get(k) or "").strip() for k, _label in W.AK07_RESULTS}
    # Extra time on the written test (whole minutes, 0–240), added to the candidate's deadline (written_test.py).
    extra = data.get("extra_minutes") or 0
    if not isinstance(extra, int) or isinstance(extra, bool) or not 0 <= extra <= 240:
        errors["extra_minutes"] = [_("Tambahan waktu tes tertulis harus 0–240 menit.")]
    elif extra:
        results["extra_minutes"] = extra
    if any(r.get("needed") for r in clean_rows) and not results["result"]:
        errors["result"] = [_("Tuliskan hasil penyesuaian yang disepakati.")]
    reason = (reason or "").strip()
    with transition(case, "record_adjustment", actor, reason=reason,
                    data={"needed": sum(r["needed"] for r in clean_rows)}) as c:
        previous = Adjustment.objects.filter(case=c).first()
        if previous is not None and not reason:
            errors["reason"] = [_("FR.AK.07 sudah ditandatangani dan tidak diubah. Tuliskan alasan koreksi; "
                                  "koreksi dicatat sebagai FR.AK.07 baru dan yang lama tetap tersimpan.")]
        _require(errors)
        adj = Adjustment.objects.create(case=c, supersedes=supersede(Adjustment, case=c), correction_reason=reason,
                                        potensi=potensi, characteristics=clean_rows, results=results,
                                        recorded_by=actor)
    return adj


# --- S2.5 the APL.02 review --------------------------------------------------------------------------


def _new_apl02_review(c, actor, *, can_continue, note, reason):
    """A review is never edited: a later one (the case came back to this step) is a new row with its reason
    that supersedes the old one, which is kept."""
    reason = (reason or "").strip()
    if Apl02Review.objects.filter(case=c).exists() and not reason:
        raise WorkflowError(_("Kaji APL.02 sudah pernah dicatat. Tuliskan alasan kaji ulang; yang lama tetap "
                              "tersimpan."), field_errors={"correction_reason": [_("Alasan wajib diisi.")]})
    return Apl02Review.objects.create(case=c, supersedes=supersede(Apl02Review, case=c), correction_reason=reason,
                                      can_continue=can_continue, note=note, reviewed_by=actor)


def recommend_continue(case, actor, *, note="", correction_reason=""):
    """The case's assessor (S2.5): after reviewing APL.02, the assessment may go ahead (agreed → ready)."""
    with transition(case, "recommend_continue", actor, reason=note) as c:
        _new_apl02_review(c, actor, can_continue=True, note=note.strip(), reason=correction_reason)
    notify([case.candidate], _("Asesmen Anda dapat dilanjutkan"), url=case.get_absolute_url())


def recommend_stop(case, actor, *, reason, correction_reason=""):
    """The case's assessor (S2.5): the assessment may not go ahead (agreed → not_continued); reason required."""
    reason = (reason or "").strip()
    with transition(case, "recommend_stop", actor, reason=reason) as c:
        if not reason:
            raise WorkflowError(_("Tuliskan alasan asesmen tidak dapat dilanjutkan."),
                                field_errors={"reason": [_("Alasan wajib diisi.")]})
        _new_apl02_review(c, actor, can_continue=False, note=reason, reason=correction_reason)
    admins = get_user_model().objects.filter(roles__role=Role.ADMIN).distinct()
    notify([case.candidate, *admins], lazy_text(_("Asesmen tidak dapat dilanjutkan (%(number)s)"), number=case.number),
           body=reason, url=case.get_absolute_url())


# --- S3.1 check-in -----------------------------------------------------------------------------------


def day_not_come(case):
    """Precondition of a check-in or an absence: both happen on the event day (local date) or later."""
    if not case.event_id:
        return _("Permohonan ini belum masuk jadwal uji kompetensi.")
    day = timezone.localdate(case.event.starts_at)
    if timezone.localdate() < day:
        return _("Kehadiran baru dapat dicatat pada hari uji kompetensi, %(day)s. Sekarang belum harinya.") % {
            "day": format_date(day)}
    return None


def check_in_blocker(case):
    """Precondition of check_in (registered in apps.py): the event day has come, the event's plan is
    approved and its resources were checked ready."""
    why = day_not_come(case)
    if why:
        return why
    if not plan_approved(case.event):
        return _("Rencana asesmen (FR.MAPA.01/02) jadwal ini belum disetujui.")
    rc = latest_resource_check(case.event)
    if rc is None or not rc.all_ok:
        return _("Kesiapan TUK, asesor dan peralatan belum diperiksa lengkap pada jadwal ini.")
    return None


def check_in(case, actor, *, present=True, note=""):
    """Admin or head of the event's TUK (S3.1) on the event day. Present: ready → in_assessment, only once
    the event's plan is approved and its resources were checked ready (check_in_blocker, checked by
    transition()). Absent (present=False): recorded as record_absence, status unchanged, also not before the
    event day."""
    if not present:
        with transaction.atomic():
            locked = type(case).objects.select_for_update().get(pk=case.pk)
            check(actor, locked, "check_in")
            why = day_not_come(locked)
            if why:
                raise WorkflowError(why)
            att = Attendance.objects.create(case=locked, present=False, note=note or "", recorded_by=actor)
            log_action(actor, "record_absence", locked, reason=note, status_before=locked.status,
                       status_after=locked.status)
        return att
    with transition(case, "check_in", actor, reason=note) as c:
        att = Attendance.objects.create(case=c, present=True, note=note or "", recorded_by=actor)
    if case.assessor_id:
        notify([case.assessor.user], lazy_text(_("Asesi %(name)s hadir dan siap diases"), name=case.candidate),
               url=case.get_absolute_url(), about=case, asks=("record_assessment",))
    return att


def absences_of(event):
    """Absences recorded for the event's candidates who are still waiting (newest first)."""
    return Attendance.objects.filter(case__event=event, case__status="ready", present=False).order_by("-id")


def check_in_list(event, actor, rows):
    """Admin or head of the event's TUK (S3.1), on the event day: the attendance of a whole list at once.
    rows: {case_id: (present: bool, note)}; rows left out are not recorded. Each candidate's act goes through
    check_in (present → check_in, absent → record_absence), one transaction per row: a candidate who is in the
    room is recorded even when another row is refused. What concerns the whole event (the day, the plan, the
    resources, who may do it) is checked first, so then nothing is recorded at all.
    Returns (done: [(case, present)], errors: {case_id: message})."""
    cases = {c.pk: c for c in event.cases.filter(pk__in=list(rows)).select_related("candidate", "assessor__user",
                                                                                    "event__site")}
    act = ACTS["check_in"]
    if not act.roles & roles_for(actor, event):  # who may do it: the same for every case of the event
        who = ", ".join(str(Role(r).label) for r in sorted(act.roles))
        raise NotAllowed(_("“%(act)s” hanya boleh dilakukan oleh: %(who)s.") % {"act": act.label, "who": who})
    if not rows:
        raise WorkflowError(_("Pilih Hadir atau Tidak hadir untuk sedikitnya satu asesi."))
    if any(pk not in cases for pk in rows):
        raise WorkflowError(_("Sebagian asesi yang dipilih tidak terdaftar pada jadwal ini."))
    first = next(iter(cases.values()))
    if any(present for present, _note in rows.values()):
        why = check_in_blocker(first)
    else:
        why = day_not_come(first)
    if why:
        raise WorkflowError(why)
    done, errors = [], {}
    for pk, (present, note) in rows.items():
        case = cases[pk]
        try:
            check_in(case, actor, present=present, note=note)
        except WorkflowError as exc:
            errors[pk] = exc.message
        else:
            done.append((case, present))
    return done, errors


# --- S3.2/S4.2/S4.3 FR.AK.02 -------------------------------------------------------------------------

# A higher app may limit the methods a case's FR.AK.02 may use (certification: a recertification on the scheme's
# shorter path): fn(case) -> [AK.02 method keys] or None for any.
METHOD_LIMITS = []


def register_method_limit(fn):
    METHOD_LIMITS.append(fn)


def allowed_methods(case):
    """The AK.02 methods this case's record may use (None: any), from the registered limits."""
    for fn in METHOD_LIMITS:
        limit = fn(case)
        if limit is not None:
            return set(limit)
    return None



def record_assessment(case, actor, *, unit_results, started_on, finished_on, follow_up="", comments="",
                      criteria=None):
    """The case's assessor (S4.2–S4.3): FR.AK.02, filled from the roll-up of the day's evidence (rollup.py).
    unit_results = {unit_id: {"methods": [...], "result": "K"|"BK"}} is the assessor's confirmation for every
    unit of the scheme: K is refused for a unit whose evidence does not allow it (a KUK without evidence or
    with BK evidence — named in the message). The per-KUK results are recorded from the evidence; `criteria`
    (optional, {criterion_id: "K"|"BK"}) may add a BK. The overall recommendation is derived: K only when
    every unit is K. in_assessment → assessed."""
    with transition(case, "record_assessment", actor) as c:
        record = _write_record(c, actor, unit_results=unit_results, started_on=started_on, finished_on=finished_on,
                               follow_up=follow_up, comments=comments, criteria=criteria,
                               supersedes=superseded_by_last(AssessmentRecord, case=c))
    notify([case.candidate], _("Rekaman asesmen (FR.AK.02) Anda tercatat — berikan umpan balik (FR.AK.03)"),
           url=case.get_absolute_url(), about=case, asks=("give_feedback",), by_recipient=True)
    return record


def correction_blocker(case):
    """Precondition of correct_assessment: only while the candidate has not co-signed the record."""
    record = AssessmentRecord.objects.filter(case=case).first()
    if record is None:
        return _("FR.AK.02 belum tercatat.")
    if record.candidate_signed_at:
        return _("FR.AK.02 sudah ditandatangani asesi dan tidak dapat dikoreksi lagi; keberatan diajukan melalui "
                 "banding.")
    return None


def correct_assessment(case, actor, *, reason, unit_results, started_on, finished_on, follow_up="", comments="",
                       criteria=None):
    """The case's assessor, after recording FR.AK.02 and before the candidate co-signs it: a correction is a
    new record, with its reason, that supersedes the one it corrects (both are kept and printable); the same
    rules as record_assessment. The case stays assessed."""
    reason = (reason or "").strip()
    with transition(case, "correct_assessment", actor, reason=reason) as c:
        if not reason:
            raise WorkflowError(_("Tuliskan alasan koreksi FR.AK.02."),
                                field_errors={"reason": [_("Alasan koreksi wajib diisi.")]})
        old = supersede(AssessmentRecord, case=c)
        record = _write_record(c, actor, unit_results=unit_results, started_on=started_on, finished_on=finished_on,
                               follow_up=follow_up, comments=comments, criteria=criteria, supersedes=old,
                               reason=reason)
    notify([case.candidate], _("Rekaman asesmen (FR.AK.02) Anda dikoreksi asesor"), body=reason,
           url=case.get_absolute_url())
    return record


def _write_record(c, actor, *, unit_results, started_on, finished_on, follow_up, comments, criteria, supersedes,
                  reason=""):
    criteria = {int(k): v for k, v in (criteria or {}).items() if v}
    unit_results = {int(k): v for k, v in (unit_results or {}).items()}
    units = list(c.scheme.units.prefetch_related("elements__criteria"))
    rolled = {row["unit"].pk: row for row in rollup.rollup(c)["units"]}
    errors = {}
    missing = [u for u in units if (unit_results.get(u.pk) or {}).get("result") not in KBK.values]
    if missing:
        errors["units"] = [_("Isi K/BK untuk setiap unit. Belum diisi: %(units)s.")
                           % {"units": ", ".join(u.code for u in missing)}]
    methods_keys = _keys(W.AK02_METHODS)
    limit = allowed_methods(c)  # a recertification's shorter path allows only its methods
    criterion_unit = {}
    for u in units:
        for el in u.elements.all():
            for cr in el.criteria.all():
                criterion_unit[cr.pk] = u
        res = unit_results.get(u.pk) or {}
        methods = [m for m in res.get("methods", []) if m in methods_keys]
        if res.get("result") in KBK.values and not methods:
            errors[f"unit_{u.pk}"] = [_("Centang sedikitnya satu bukti untuk unit %(code)s.") % {"code": u.code}]
        elif limit is not None and set(methods) - limit:
            errors[f"unit_{u.pk}"] = [_("Permohonan ini mengikuti jalur singkat sertifikasi ulang: unit %(code)s "
                                        "hanya dapat dinilai dengan %(methods)s.") % {
                "code": u.code, "methods": ", ".join(str(dict(W.AK02_METHODS)[m]) for m, _l in W.AK02_METHODS
                                                     if m in limit)}]
        why = rollup.unit_refusal(rolled[u.pk]) if u.pk in rolled else None
        if res.get("result") == KBK.K and why:
            errors[f"unit_{u.pk}"] = [_("Unit %(code)s tidak dapat K menurut bukti: %(why)s.")
                                      % {"code": u.code, "why": why}]
    foreign = [k for k in criteria if k not in criterion_unit]
    if foreign or any(v not in KBK.values for v in criteria.values()):
        errors["criteria"] = [_("Hasil per KUK tidak sesuai dengan KUK skema ini.")]
    for cid, value in criteria.items():
        u = criterion_unit.get(cid)
        if u and value == KBK.BK and (unit_results.get(u.pk) or {}).get("result") == KBK.K:
            errors[f"unit_{u.pk}"] = [_("Unit %(code)s tidak dapat K karena ada KUK yang BK.") % {"code": u.code}]
    if not started_on or not finished_on:
        errors["started_on"] = [_("Isi tanggal mulai dan selesai asesmen.")]
    elif finished_on < started_on:
        errors["finished_on"] = [_("Tanggal selesai tidak boleh sebelum tanggal mulai.")]
    overall = KBK.K if units and all(unit_results.get(u.pk, {}).get("result") == KBK.K for u in units) \
        else KBK.BK
    if overall == KBK.BK and not (follow_up or "").strip() and not missing:
        errors["follow_up"] = [_("Tuliskan tindak lanjut yang dibutuhkan untuk unit yang BK.")]
    _require(errors)
    record = AssessmentRecord.objects.create(case=c, supersedes=supersedes, correction_reason=reason,
                                             started_on=started_on, finished_on=finished_on,
                                             overall=overall, follow_up=(follow_up or "").strip(),
                                             comments=(comments or "").strip(), recorded_by=actor)
    UnitResult.objects.bulk_create([
        UnitResult(record=record, unit=u, result=unit_results[u.pk]["result"],
                   methods=[m for m in unit_results[u.pk].get("methods", []) if m in methods_keys])
        for u in units])
    # Per KUK: what the evidence says, a BK given here overriding it.
    per_kuk = {r["criterion"].pk: r["result"] for row in rolled.values() for e in row["elements"]
               for r in e["criteria"] if r["result"]}
    for cid, value in criteria.items():
        if per_kuk.get(cid) != KBK.BK:
            per_kuk[cid] = value
    CriterionResult.objects.bulk_create([CriterionResult(record=record, criterion_id=cid, result=v)
                                         for cid, v in per_kuk.items()])
    return record


# --- S4.1 feedback both ways -------------------------------------------------------------------------


def feedback_given_by(case, user):
    """Done-check for give_feedback: has `user` (assessor or candidate) already given theirs?"""
    fb = Feedback.objects.filter(case=case).first()
    if fb is None:
        return False
    if case.candidate_id == user.pk:
        return fb.candidate_at is not None
    return fb.assessor_at is not None


def feedback_complete(case):
    fb = Feedback.objects.filter(case=case).first()
    return bool(fb and fb.assessor_at and fb.candidate_at)


def give_feedback(case, actor, *, text="", answers=None, other=""):
    """S4.1, once each. The case's assessor gives feedback to the candidate (`text`); the candidate fills
    FR.AK.03 (`answers`: ten {"yes": bool, "comment": str}, `other`) and with it co-signs the FR.AK.02 record."""
    with transition(case, "give_feedback", actor) as c:
        fb, _created = Feedback.objects.get_or_create(
            case=c, defaults={"supersedes": superseded_by_last(Feedback, case=c)})
        if Role.ASSESSOR in roles_for(actor, c):
            if fb.assessor_at:
                raise WorkflowError(_("Anda sudah memberi umpan balik untuk asesi ini."))
            if not (text or "").strip():
                raise WorkflowError(_("Tuliskan umpan balik untuk asesi."),
                                    field_errors={"text": [_("Umpan balik wajib diisi.")]})
            fb.assessor_text, fb.assessor_at = text.strip(), timezone.now()
            who = case.candidate
        else:
            if fb.candidate_at:
                raise WorkflowError(_("Anda sudah mengisi FR.AK.03."))
            answers = list(answers or [])
            unanswered = [str(i + 1) for i in range(len(W.AK03_COMPONENTS))
                          if i >= len(answers) or answers[i].get("yes") not in (True, False)]
            if unanswered:
                raise WorkflowError(_("Jawab Ya atau Tidak untuk komponen nomor %(n)s.") % {"n": ", ".join(unanswered)},
                                    field_errors={f"q{int(n) - 1}_yes": [_("Pilih Ya atau Tidak.")]
                                                  for n in unanswered})
            fb.ak03 = [{"yes": a["yes"], "comment": (a.get("comment") or "").strip()}
                       for a in answers[:len(W.AK03_COMPONENTS)]]
            fb.ak03_other, fb.candidate_at = (other or "").strip(), timezone.now()
            AssessmentRecord.objects.filter(case=c, candidate_signed_at__isnull=True).update(
                candidate_signed_at=fb.candidate_at)
            who = case.assessor.user if case.assessor_id else None
        fb.save()
    notify([who], lazy_text(_("Umpan balik baru pada %(number)s"), number=case.number), url=case.get_absolute_url())
    return fb


# --- S4.4 FR.AK.06 -----------------------------------------------------------------------------------


def review_assessment(case, actor, *, data):
    """The case's assessor or a lead assessor (S4.4): FR.AK.06, once both feedbacks are given.
    assessed → reviewed."""
    principles = {s: sorted(p for p in (data.get("principles", {}).get(s) or []) if p in _keys(W.AK06_PRINCIPLES))
                  for s, _label in W.AK06_STAGES}
    dimensions = [d for d in data.get("dimensions", []) if d in _keys(W.AK06_DIMENSIONS)]
    with transition(case, "review_assessment", actor) as c:
        if not feedback_complete(c):
            raise WorkflowError(_("Tinjauan baru dapat dilakukan setelah umpan balik asesor dan FR.AK.03 asesi "
                                  "diberikan."))
        if not any(principles.values()) and not dimensions:
            raise WorkflowError(_("Centang kesesuaian dengan prinsip asesmen dan dimensi kompetensi yang ditinjau."),
                                field_errors={"principles": [_("Centang sedikitnya satu butir.")]})
        review = Review.objects.create(
            case=c, supersedes=superseded_by_last(Review, case=c), principles=principles, dimensions=dimensions,
            principles_recommendation=(data.get("principles_recommendation") or "").strip(),
            dimensions_recommendation=(data.get("dimensions_recommendation") or "").strip(),
            comments=(data.get("comments") or "").strip(), reviewed_by=actor)
    return review


# --- S4.5 FR.AK.05 -----------------------------------------------------------------------------------


def _tuk_heads(case):
    if not case.event_id or not case.event.site_id:
        return []
    site = case.event.site
    users = list(get_user_model().objects.filter(roles__role=Role.TUK_HEAD, roles__site=site).distinct())
    return users + ([site.head] if site.head_id else [])


def submit_report(case, actor, *, data):
    """The case's assessor (S4.5): FR.AK.05 — the K/BK result and BK units (taken from FR.AK.02), positive
    and negative aspects, rejections, suggestions. reviewed → reported; the head of the TUK is told."""
    with transition(case, "submit_report", actor) as c:
        record = AssessmentRecord.objects.filter(case=c).first()
        if record is None:
            raise WorkflowError(_("FR.AK.02 belum tercatat."))
        aspects = (data.get("aspects") or "").strip()
        if not aspects:
            raise WorkflowError(_("Tuliskan aspek negatif dan positif dalam asesmen."),
                                field_errors={"aspects": [_("Wajib diisi.")]})
        bk_units = "; ".join(f"{r.unit.code} {r.unit.title}"
                             for r in record.units.select_related("unit") if r.result == KBK.BK)
        report = Report.objects.create(
            case=c, supersedes=superseded_by_last(Report, case=c), result=record.overall, bk_units=bk_units, aspects=aspects,
            rejections=(data.get("rejections") or "").strip(), suggestions=(data.get("suggestions") or "").strip(),
            notes=(data.get("notes") or "").strip(), submitted_by=actor)
    notify(_tuk_heads(case), lazy_text(_("Laporan asesmen (FR.AK.05) %(number)s menunggu diteruskan ke LSP"),
                                       number=case.number),
           url=case.get_absolute_url(), about=case, asks=("forward_report",))
    return report


def forward_report(case, actor, *, note=""):
    """The head of the case's TUK (S4.5): passes the report to the LSP. reported → awaiting_decision;
    admins and committee members are told."""
    with transition(case, "forward_report", actor, reason=note) as c:
        report = Report.objects.filter(case=c).first()
        if report is None:
            raise WorkflowError(_("Laporan asesmen (FR.AK.05) belum ada."))
        report.forwarded_by, report.forwarded_at, report.forward_note = actor, timezone.now(), (note or "").strip()
        report.save()
    staff = get_user_model().objects.filter(Q(roles__role=Role.ADMIN) | Q(roles__role=Role.COMMITTEE)).distinct()
    notify(list(staff), lazy_text(_("Permohonan %(number)s menunggu keputusan komite"), number=case.number),
           url=case.get_absolute_url(), due=timezone.localdate() + dt.timedelta(days=7),
           about=case, asks=("decide_competent", "decide_not_competent"))
    return report


# --- an upheld appeal orders a new assessment ------------------------------------------------------------


def retire_assessment(case, actor=None, reason=""):
    """Inside the act that reopens `case` for a new assessment (certification.services.reopen_for_assessment):
    the FR.AK.02 record, the feedback, the FR.AK.06 review and the FR.AK.05 report are kept but superseded;
    the new ones, recorded next, point at them. When any was retired a new assessment round opens (rounds.py):
    the new round's evidence is recorded apart from the earlier round's, which stays as it was. Returns the
    number of records retired."""
    retired = sum(supersede(model, case=case) is not None for model in (AssessmentRecord, Feedback, Review, Report))
    if retired:
        rounds.open_round(case, actor, reason)
    return retired
