"""Assessment events (S1.3–S1.6): feasibility, TUK, assessors and their letters, conflicts of interest,
placing accepted candidates, and both parties' confirmation of the schedule."""

import datetime as dt
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompeten.cases.selectors import lock_cases_of_event
from kompeten.cases.workflow import CaseStatus as S
from kompeten.cases.workflow import EventStatus as E
from kompeten.cases.workflow import transition
from kompeten.catalog import selectors as catalog_selectors
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.dates import format_date, format_date_lazy, format_datetime
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role, User
from kompeten.core.notify import lazy_text, notify
from kompeten.core.sequences import next_number
from kompeten.events.models import (
    AssessmentEvent,
    ConflictDeclaration,
    ConflictKind,
    EventAssessor,
    FeasibilityCheck,
    FeasibilityItem,
    ScheduleConfirmation,
)
from kompeten.people.selectors import normalise_employer

register_act_labels({
    "create_event": _("Membuat jadwal uji kompetensi"),
    "record_bnsp_schedule_code": _("Kode jadwal BNSP dicatat"),
})

# A realistic load for one assessor in one event (used by the quota item of the feasibility review).
MAX_CANDIDATES_PER_ASSESSOR = 10
# Cases that have started the assessment day (checked in) or gone further: an event with them can't be cancelled.
PAST_CHECK_IN = {S.IN_ASSESSMENT, S.ASSESSED, S.REVIEWED, S.REPORTED, S.AWAITING_DECISION, S.COMPETENT,
                 S.NOT_COMPETENT, S.CERTIFIED, S.SURVEILLANCE}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def event_date(event):
    return timezone.localdate(event.starts_at)


def lsp_code():
    """'LSP Teknologi Digital Nusantara' → 'LSP-TDN' (or settings.LSP_CODE when set)."""
    code = getattr(settings, "LSP_CODE", "")
    if code:
        return code
    words = [w for w in re.split(r"\s+", settings.LSP_NAME.strip()) if w and w.upper() != "LSP"]
    return "LSP-" + "".join(w[0].upper() for w in words)


def seats_taken(event):
    """Cases placed in the event that still hold a seat (every case not withdrawn)."""
    return event.cases.exclude(status=S.WITHDRAWN).count()


def _require_admin(actor):
    if not actor.has_role(Role.ADMIN):
        raise NotAllowed(_("Tindakan ini hanya boleh dilakukan oleh: Admin LSP."))


# --- creating an event -------------------------------------------------------------------------------


def create_event(actor, *, scheme, starts_at, ends_at, quota, title="", site=None):
    """Admin LSP (S1.3): creates a draft assessment event numbered JUK-<year>-<nnn>. The TUK may be
    designated later (designate_site checks it); a site given here is checked the same way."""
    _require_admin(actor)
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [_("Waktu selesai harus setelah waktu mulai.")]
    if starts_at <= timezone.now():
        errors["starts_at"] = [_("Waktu mulai harus di masa depan.")]
    if not quota or quota < 1:
        errors["quota"] = [_("Kuota minimal 1 asesi.")]
    if not scheme.is_active:
        errors["scheme"] = [_("Skema ini tidak aktif.")]
    if site is not None and not errors:
        why = site.fit_for(scheme, timezone.localdate(starts_at))
        if why:
            errors["site"] = [why]
    if errors:
        raise WorkflowError(next(iter(errors.values()))[0], field_errors=errors)
    with transaction.atomic():
        year = timezone.localdate(starts_at).year
        number = f"JUK-{year}-{next_number('event', year):03d}"
        event = AssessmentEvent.objects.create(number=number, scheme=scheme, starts_at=starts_at, ends_at=ends_at,
                                               quota=quota, title=title or "", site=site, created_by=actor)
        log_action(actor, "create_event", event, data={"number": number, "scheme": scheme.number,
                                                       "site": site.code if site else None, "quota": quota},
                   status_after=event.status)
    return event


def record_bnsp_schedule_code(event, actor, code):
    """Admin LSP: records the code BNSP gave the event's schedule (Kode Jadwal on the blanko sheet). Logged with
    the code it replaces."""
    _require_admin(actor)
    code = (code or "").strip()
    if not code or len(code) > 40:
        raise WorkflowError(_("Isi kode jadwal dari BNSP (paling banyak 40 karakter)."),
                            field_errors={"code": [_("Wajib diisi, paling banyak 40 karakter.")]})
    with transaction.atomic():
        locked = AssessmentEvent.objects.select_for_update().get(pk=event.pk)
        before = locked.bnsp_schedule_code
        locked.bnsp_schedule_code = code
        locked.save(update_fields=["bnsp_schedule_code"])
        log_action(actor, "record_bnsp_schedule_code", locked, data={"code": code, "before": before})
    return locked


# --- feasibility (S1.3) -------------------------------------------------------------------------------


def computed_feasibility(event):
    """What the system can tell for each item: {item: (ok, explanation)}."""
    scheme = event.scheme
    on = event_date(event)
    out = {}
    if scheme.is_licensed and scheme.is_active:
        out[FeasibilityItem.SCHEME] = (True, _("Skema aktif dan masuk ruang lingkup lisensi."))
    else:
        out[FeasibilityItem.SCHEME] = (False, _("Skema tidak aktif atau di luar ruang lingkup lisensi."))
    n_tools = catalog_selectors.validated_tool_count(scheme)
    out[FeasibilityItem.TOOLS] = (
        (True, _("%(n)s perangkat asesmen tervalidasi.") % {"n": n_tools}) if n_tools
        else (False, _("Belum ada perangkat asesmen (MUK) yang divalidasi untuk skema ini.")))
    assignments = list(event.assignments.select_related("assessor__user"))
    problems = [why for a in assignments if (why := a.assessor.may_assess(scheme, on))]
    if not assignments:
        out[FeasibilityItem.ASSESSORS] = (False, _("Belum ada asesor yang ditugaskan."))
    elif problems:
        out[FeasibilityItem.ASSESSORS] = (False, " ".join(str(p) for p in problems))
    else:
        out[FeasibilityItem.ASSESSORS] = (True, _("%(n)s asesor ditugaskan, semua teregistrasi untuk skema.")
                                          % {"n": len(assignments)})
    if event.site_id is None:
        out[FeasibilityItem.SITE] = (False, _("TUK belum ditetapkan."))
    else:
        why = event.site.fit_for(scheme, on)
        out[FeasibilityItem.SITE] = (False, why) if why else (
            True, _("TUK terverifikasi sampai %(until)s dan layak untuk skema.")
            % {"until": format_date(event.site.verified_until)})
    taken = seats_taken(event)
    limit = MAX_CANDIDATES_PER_ASSESSOR * max(len(assignments), 1)
    if event.quota < 1 or taken > event.quota:
        out[FeasibilityItem.QUOTA] = (False, _("%(taken)s asesi ditempatkan, kuota %(quota)s.")
                                      % {"taken": taken, "quota": event.quota})
    elif event.quota > limit:
        out[FeasibilityItem.QUOTA] = (False, _("Kuota %(quota)s melebihi %(max)s asesi per asesor yang ditugaskan.")
                                      % {"quota": event.quota, "max": MAX_CANDIDATES_PER_ASSESSOR})
    else:
        out[FeasibilityItem.QUOTA] = (True, _("Kuota %(quota)s; %(taken)s kursi terisi.")
                                      % {"quota": event.quota, "taken": taken})
    return out


def feasibility_rows(event):
    """For the event page: each item with the computed hint and the recorded check (or None)."""
    computed = computed_feasibility(event)
    recorded = {c.item: c for c in event.feasibility_checks.select_related("checked_by")}
    return [{"item": code, "label": label, "computed_ok": computed[code][0], "hint": computed[code][1],
             "check": recorded.get(code)} for code, label in FeasibilityItem.choices]


FEASIBILITY_RESULT = {True: _("memenuhi"), False: _("tidak memenuhi"), None: _("dikosongkan (belum diputuskan)")}


def record_feasibility(event, actor, findings=None, *, item=None, ok=None, note=""):
    """Admin LSP (S1.3, event draft): records the feasibility review, the whole checklist at once.

    findings: {item: (ok, note)} with ok True (meets), False (does not meet, a note is required) or None
    (not yet decided: withdraws a finding recorded earlier). Items left out are not touched, nor are items
    given as they were recorded. An item the system knows to be unmet cannot be recorded as met. One action
    log entry lists the items changed (who, when, each result and note). `item=, ok=, note=` records one
    item (the same as findings={item: (ok, note)})."""
    single = findings is None
    if single:
        findings = {item: (ok, note)}

    def field(name, code):
        return name if single else f"{name}_{code}"

    errors = {}
    clean = {}
    for code, (result, text) in findings.items():
        if code not in FeasibilityItem.values:
            errors[field("item", code) if single else "__all__"] = [_("Butir kaji fisibilitas tidak dikenal.")]
            continue
        text = (text or "").strip()
        if result is False and not text:
            errors[field("note", code)] = [_("Jelaskan mengapa butir ini tidak memenuhi.")]
        clean[code] = (None if result is None else bool(result), text)
    recorded = {c.item: c for c in event.feasibility_checks.all()}
    for code, (result, text) in clean.items():
        if result is None and text and code not in recorded:
            errors[field("ok", code)] = [_("Pilih Memenuhi atau Tidak memenuhi untuk butir yang diberi catatan.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise WorkflowError(first, field_errors={k: v for k, v in errors.items() if k != "__all__"})
    changes = []
    for code, (result, text) in clean.items():
        before = recorded.get(code)
        if result is None:
            if before is not None:
                changes.append((code, None, ""))
        elif before is None or before.ok != result or before.note != text:
            changes.append((code, result, text))
    labels = dict(FeasibilityItem.choices)
    reason = "; ".join(f"{labels[code]}: {FEASIBILITY_RESULT[result]}" + (f" — {text}" if text else "")
                       for code, result, text in changes)
    data = {"items": [{"item": code, "ok": result, "note": text} for code, result, text in changes]}
    with transition(event, "record_feasibility", actor, reason=reason, data=data) as ev:
        if not changes:
            raise WorkflowError(_("Tidak ada perubahan untuk dicatat: pilih hasil butir atau ubah catatannya."))
        computed = computed_feasibility(ev)
        refused = {}
        for code, result, _text in changes:
            if result and not computed[code][0]:
                refused[field("ok", code)] = [_("Butir “%(item)s” belum dapat dinyatakan memenuhi: %(why)s")
                                              % {"item": labels[code], "why": computed[code][1]}]
        if refused:
            raise WorkflowError(next(iter(refused.values()))[0], field_errors={} if single else refused)
        now = timezone.now()
        for code, result, text in changes:
            if result is None:
                FeasibilityCheck.objects.filter(event=ev, item=code).delete()
            else:
                FeasibilityCheck.objects.update_or_create(
                    event=ev, item=code, defaults={"ok": result, "note": text, "checked_by": actor, "checked_at": now})
    return changes


def publish_failures(event):
    """Why the event can't be published yet (empty when it can)."""
    failures = []
    recorded = {c.item: c for c in event.feasibility_checks.all()}
    computed = computed_feasibility(event)
    for code, label in FeasibilityItem.choices:
        check = recorded.get(code)
        if check is None:
            failures.append(_("“%(item)s” belum diperiksa.") % {"item": label})
        elif not check.ok:
            failures.append(_("“%(item)s” dinyatakan tidak memenuhi.") % {"item": label})
        elif not computed[code][0]:
            failures.append(_("“%(item)s” tidak lagi terpenuhi: %(why)s") % {"item": label, "why": computed[code][1]})
    return failures


def publish_event(event, actor):
    """Admin LSP (S1.6): publishes a draft event once every feasibility item is checked as met and is still
    true (TUK designated and verified for the scheme, at least one valid assessor). Event: draft → published."""
    with transition(event, "publish_event", actor) as ev:
        failures = publish_failures(ev)
        if failures:
            raise WorkflowError(_("Jadwal belum dapat diterbitkan. ") + " ".join(str(f) for f in failures))


# --- TUK (S1.4) ---------------------------------------------------------------------------------------


def designate_site(event, actor, site):
    """Admin LSP (S1.4, event draft): sets the event's TUK. Refuses a TUK not verified on the event's
    date or not fit for the event's scheme."""
    with transition(event, "designate_site", actor, data={"site": site.code}) as ev:
        why = site.fit_for(ev.scheme, event_date(ev))
        if why:
            raise WorkflowError(why, field_errors={"site": [why]})
        ev.site = site
    notify([site.head] + list(User.objects.filter(roles__role=Role.TUK_HEAD, roles__site=site)),
           lazy_text(_("TUK Anda ditetapkan untuk %(number)s"), number=event.number),
           body=lazy_text(_("Skema %(scheme)s, %(date)s."), scheme=event.scheme.title,
                          date=format_date_lazy(event_date(event))),
           url=event.get_absolute_url())


# --- assessors (S1.5) ---------------------------------------------------------------------------------


def letter_number(n, when):
    """012/ST/LSP-TDN/XI/2026"""
    return f"{n:03d}/ST/{lsp_code()}/{ROMAN[when.month - 1]}/{when.year}"


def assign_assessor(event, actor, assessor):
    """Admin LSP (S1.5, event draft or published): assigns an assessor registered for the event's scheme
    with a MET registration valid on the event's date, numbering the surat tugas; notifies the assessor."""
    data = {"assessor_user_id": assessor.user_id, "met": assessor.met_number}
    with transition(event, "assign_assessor", actor, data=data) as ev:
        why = assessor.may_assess(ev.scheme, event_date(ev))
        if why:
            raise WorkflowError(why, field_errors={"assessor": [why]})
        if ev.assignments.filter(assessor=assessor).exists():
            msg = _("%(name)s sudah ditugaskan pada jadwal ini.") % {"name": assessor.name}
            raise WorkflowError(msg, field_errors={"assessor": [msg]})
        today = timezone.localdate()
        number = letter_number(next_number("surat-tugas", today.year), today)
        assignment = EventAssessor.objects.create(event=ev, assessor=assessor, letter_number=number,
                                                  assigned_by=actor)
        data["letter_number"] = number
    notify([assessor.user], lazy_text(_("Surat tugas %(number)s"), number=number),
           body=lazy_text(_("Anda ditugaskan sebagai asesor pada %(event)s (%(scheme)s), %(date)s."),
                          event=event.number, scheme=event.scheme.title, date=format_date_lazy(event_date(event))),
           url=event.get_absolute_url())
    return assignment


def _candidate_employer(case):
    application = getattr(case, "application", None)
    return getattr(application, "employer", "") or ""


def conflicts_between(assessor, case):
    """Declared and detected conflicts of interest between an assessor and a case's candidate:
    [{"kind", "label", "source": "declared"|"detected", "note"}]."""
    found = []
    try:
        mine = normalise_employer(assessor.employer)
        theirs = normalise_employer(_candidate_employer(case))
    except Exception:  # the application model is being built elsewhere; never let it break scheduling
        mine = theirs = ""
    if mine and mine == theirs:
        found.append({"kind": ConflictKind.SAME_EMPLOYER.value, "label": str(ConflictKind.SAME_EMPLOYER.label),
                      "source": "detected",
                      "note": str(_("Asesor dan asesi sama-sama bekerja di %(employer)s.")
                                  % {"employer": assessor.employer})})
    latest = {}
    for d in ConflictDeclaration.objects.filter(assessor=assessor, case__candidate_id=case.candidate_id):
        latest.setdefault(d.kind, d)  # newest first: a later statement replaces an earlier one
    for kind, d in latest.items():
        if d.has_conflict:
            found.append({"kind": kind, "label": str(d.get_kind_display()), "source": "declared", "note": d.note})
    return found


def declare_conflict(event, actor, *, case, kind, note="", has_conflict=True):
    """The assessor assigned to the event (S1.5): states whether they have a conflict of interest of one
    kind with one candidate in (or about to be placed in) the event. A later statement of the same kind
    replaces the earlier one; all are kept."""
    if kind not in ConflictKind.values:
        raise WorkflowError(_("Pilih jenis konflik kepentingan."), field_errors={"kind": [_("Pilih jenis.")]})
    note = (note or "").strip()
    if has_conflict and kind == ConflictKind.OTHER and not note:
        msg = _("Jelaskan konflik kepentingan lainnya.")
        raise WorkflowError(msg, field_errors={"note": [msg]})
    data = {"case": case.number, "kind": kind, "has_conflict": bool(has_conflict)}
    with transition(event, "declare_conflict", actor, reason=note, data=data) as ev:
        if not (case.event_id == ev.pk or (case.status == S.ACCEPTED and case.scheme_id == ev.scheme_id)):
            raise WorkflowError(_("Asesi %(case)s tidak terdaftar dan tidak menunggu jadwal pada skema ini.")
                                % {"case": case.number})
        assignment = ev.assignments.select_related("assessor").filter(assessor__user=actor).first()
        declaration = ConflictDeclaration.objects.create(event=ev, case=case, assessor=assignment.assessor,
                                                         kind=kind, has_conflict=bool(has_conflict), note=note)
    if has_conflict:
        admins = User.objects.filter(roles__role=Role.ADMIN).distinct()
        notify(list(admins), lazy_text(_("Konflik kepentingan dinyatakan pada %(event)s"), event=event.number),
               body=lazy_text(_("%(assessor)s menyatakan konflik (%(kind)s) dengan asesi %(case)s."),
                              assessor=actor.display_name, kind=ConflictKind(declaration.kind).label, case=case.number),
               url=event.get_absolute_url())
    return declaration


# --- scheduling (S1.6) --------------------------------------------------------------------------------


def confirmation_due(event):
    """Confirm within three days, and at the latest the day before the event."""
    return min(timezone.localdate() + dt.timedelta(days=3), event_date(event) - dt.timedelta(days=1))


def schedule_case(case, actor, *, event, assessor, override_reason=""):
    """Admin LSP (S1.6): places an accepted case into a published event with a seat left, with an assessor
    assigned to that event. A declared or detected conflict of interest between the assessor and the
    candidate refuses it unless `override_reason` is given (logged with the conflicts).
    Case: accepted → scheduled; notifies candidate and assessor, who must each confirm."""
    override_reason = (override_reason or "").strip()
    data = {"event": event.number, "assessor_user_id": assessor.user_id, "conflicts": [],
            "override_reason": override_reason}
    with transition(case, "schedule_case", actor, reason=override_reason, data=data) as c:
        ev = AssessmentEvent.objects.select_for_update(of=("self",)).select_related("site", "scheme").get(pk=event.pk)
        if ev.status != E.PUBLISHED:
            raise WorkflowError(_("Jadwal %(event)s belum terbit atau sudah lewat (status: %(status)s).")
                                % {"event": ev.number, "status": ev.get_status_display()},
                                field_errors={"event": [_("Pilih jadwal yang sudah terbit.")]})
        if ev.scheme_id != c.scheme_id:
            raise WorkflowError(_("Jadwal %(event)s untuk skema lain.") % {"event": ev.number},
                                field_errors={"event": [_("Pilih jadwal dengan skema yang sama.")]})
        # A case registered for this very event (an import) already holds one of its seats.
        if seats_taken(ev) - (c.event_id == ev.pk) >= ev.quota:
            msg = _("Kuota jadwal %(event)s sudah penuh (%(quota)s asesi).") % {"event": ev.number, "quota": ev.quota}
            raise WorkflowError(msg, field_errors={"event": [msg]})
        if not ev.assignments.filter(assessor=assessor).exists():
            msg = _("%(name)s tidak ditugaskan pada jadwal %(event)s.") % {"name": assessor.name, "event": ev.number}
            raise WorkflowError(msg, field_errors={"assessor": [msg]})
        why = assessor.may_assess(ev.scheme, event_date(ev))
        if why:
            raise WorkflowError(why, field_errors={"assessor": [why]})
        conflicts = conflicts_between(assessor, c)
        data["conflicts"] = conflicts
        if conflicts and not override_reason:
            listed = "; ".join(f"{x['label']} ({x['note']})" if x["note"] else x["label"] for x in conflicts)
            msg = _("Ada konflik kepentingan antara %(name)s dan asesi ini: %(list)s. Pilih asesor lain, atau "
                    "isi alasan pengecualian.") % {"name": assessor.name, "list": listed}
            raise WorkflowError(msg, field_errors={"override_reason": [msg]})
        c.event = ev
        c.assessor = assessor
    when = format_datetime(event.starts_at)
    where = f"{event.site.name}, {event.site.address}" if event.site_id else ""
    body = lazy_text(_("Jadwal uji kompetensi %(event)s (%(scheme)s): %(when)s di %(where)s. Asesor: %(assessor)s. "
                       "Mohon konfirmasi jadwal."), event=event.number, scheme=event.scheme.title, when=when,
                     where=where, assessor=assessor.name)
    from django.urls import reverse

    notify([case.candidate, assessor.user], lazy_text(_("Jadwal uji kompetensi %(case)s"), case=case.number),
           body=body, url=reverse("events:confirm", args=[case.pk]), due=confirmation_due(event),
           about=case, asks=("confirm_schedule", "request_reschedule"), by_recipient=True)


def _party(case, user):
    if case.candidate_id == user.pk:
        return ScheduleConfirmation.Party.CANDIDATE
    if case.assessor_id and case.assessor.user_id == user.pk:
        return ScheduleConfirmation.Party.ASSESSOR
    return None


def confirmation_state(case):
    """{party: ScheduleConfirmation or None} for the case's current schedule."""
    current = {c.party: c for c in case.schedule_confirmations.all() if not c.superseded}
    return {p: current.get(p) for p in ScheduleConfirmation.Party.values}


def has_confirmed(case, user):
    return case.schedule_confirmations.filter(user=user, superseded=False).exists()


def confirm_schedule(case, actor):
    """The candidate or the case's assessor (S1.6, case scheduled): confirms the schedule, once each. When
    both have confirmed, performs complete_confirmation (scheduled → confirmed) and notifies both."""
    with transaction.atomic():
        with transition(case, "confirm_schedule", actor) as c:
            party = _party(c, actor)
            if c.schedule_confirmations.filter(party=party, superseded=False).exists():
                raise WorkflowError(_("Anda sudah mengonfirmasi jadwal ini."))
            ScheduleConfirmation.objects.create(case=c, event_id=c.event_id, party=party, user=actor,
                                                confirmed_at=timezone.now())
        state = confirmation_state(case)
        both = all(state.values())
        if both:
            with transition(case, "complete_confirmation", actor):
                pass
    if both:
        notify([case.candidate, case.assessor.user], lazy_text(_("Jadwal %(case)s dikonfirmasi"), case=case.number),
               body=_("Asesor dan asesi sudah mengonfirmasi jadwal. Langkah berikutnya: konsultasi pra-asesmen "
                      "dan FR.AK.01."), url=case.get_absolute_url())


def request_reschedule(case, actor, *, reason):
    """The candidate or the case's assessor (S1.6, case scheduled): asks for another schedule with a
    reason. Case: scheduled → accepted; the event and assessor are cleared, confirmations superseded;
    admins and the other party are told."""
    reason = (reason or "").strip()
    if not reason:
        msg = _("Tuliskan alasan meminta jadwal ulang.")
        raise WorkflowError(msg, field_errors={"reason": [msg]})
    data = {}
    with transition(case, "request_reschedule", actor, reason=reason, data=data) as c:
        data["event"] = c.event.number if c.event_id else None
        data["assessor_user_id"] = c.assessor.user_id if c.assessor_id else None
        other = c.assessor.user if c.candidate_id == actor.pk and c.assessor_id else c.candidate
        c.schedule_confirmations.filter(superseded=False).update(superseded=True)
        c.event = None
        c.assessor = None
    admins = list(User.objects.filter(roles__role=Role.ADMIN).distinct())
    title = lazy_text(_("Permintaan jadwal ulang %(case)s"), case=case.number)
    body = lazy_text(_("%(who)s meminta jadwal ulang: %(reason)s"), who=actor.display_name, reason=reason)
    # The admins must schedule the candidate again; the other party is only told.
    notify(admins, title, body=body, url=case.get_absolute_url(), about=case, asks=("schedule_case",))
    notify([other], title, body=body, url=case.get_absolute_url())


# --- event lifecycle ----------------------------------------------------------------------------------


def hold_blocker(event):
    """Precondition of hold_event (registered in apps.py): an event cannot have taken place before it starts."""
    if timezone.now() < event.starts_at:
        return _("Uji kompetensi belum dapat dinyatakan dilaksanakan: jadwal ini baru dimulai %(when)s.") % {
            "when": format_datetime(event.starts_at)}
    return None


def hold_event(event, actor):
    """Admin LSP or the event's ketua TUK (S3.2): records that the event took place, not before its start
    (hold_blocker, checked by transition()). published → held."""
    with transition(event, "hold_event", actor):
        pass


def close_event(event, actor):
    """Admin LSP (S4.5): closes a held event. held → closed."""
    with transition(event, "close_event", actor):
        pass


def cancel_event(event, actor, *, reason):
    """Admin LSP: cancels a draft or published event (reason required). Refused once a candidate has been
    checked in. Cases placed in it go back to waiting for a schedule; candidates and assessors are told.
    Event: → cancelled."""
    reason = (reason or "").strip()
    if not reason:
        msg = _("Tuliskan alasan pembatalan.")
        raise WorkflowError(msg, field_errors={"reason": [msg]})
    data = {"cases": []}
    people, candidates = [], []
    with transition(event, "cancel_event", actor, reason=reason, data=data) as ev:
        placed = lock_cases_of_event(ev)
        past = [c.number for c in placed if c.status in PAST_CHECK_IN]
        if past:
            raise WorkflowError(_("Jadwal tidak dapat dibatalkan: asesi sudah hadir dan diases (%(cases)s).")
                                % {"cases": ", ".join(past)})
        for c in placed:
            candidates.append(c)
            people.append(c.assessor.user if c.assessor_id else None)
            # Each placed case goes back to waiting for a schedule through its own act in the table.
            with transition(c, "unschedule_case", actor, reason=reason, data={"event": ev.number}) as locked:
                locked.schedule_confirmations.filter(superseded=False).update(superseded=True)
                locked.event, locked.assessor = None, None
            data["cases"].append(c.number)
        people += [a.assessor.user for a in ev.assignments.select_related("assessor__user")]
    notify(people, lazy_text(_("Jadwal %(event)s dibatalkan"), event=event.number), body=reason,
           url=event.get_absolute_url())
    for c in candidates:  # candidates can't open the event page: point them at their own case
        notify([c.candidate], lazy_text(_("Jadwal %(event)s dibatalkan"), event=event.number),
               body=lazy_text(_("%(reason)s Anda akan dijadwalkan ulang oleh Admin LSP."), reason=reason),
               url=c.get_absolute_url())
