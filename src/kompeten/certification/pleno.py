"""S5.1 in a plenary meeting (rapat pleno): the committee opens a meeting, records who is present, reads each
case file with its checklist, decides each case K/BK through the decision services (the meeting's reference is
the decision's meeting_ref), and closes the meeting, which numbers the decision letter (SK) and the minutes
(berita acara). From a closed meeting the LSP head issues all its certificates as one background job.

A member who assessed a case cannot decide it; the others present decide it in the same meeting. A case may be
decided only while at least PLENO_QUORUM present members are free to decide it (present, committee, never
assessed it).
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kompeten.assessment.selectors import (
    approved_plan,
    assessment_record,
    assessment_report,
    assessor_recommendation,
    feedback_of,
    review_of,
)
from kompeten.cases.selectors import application_of, cases_with_status, self_assessment
from kompeten.cases.workflow import CaseStatus, roles_for
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.jobs import register_job, running_job, start_job
from kompeten.core.models import Role, User
from kompeten.core.pdf import fmt_date, fmt_datetime, render_pdf, signature
from kompeten.core.sequences import next_number

from . import issuing, services
from .models import Certificate, Decision, HolderAgreement, Meeting, Result

ISSUE_JOB = "certification.issue_meeting"

register_act_labels({
    "open_meeting": gettext_lazy("Rapat pleno dibuka"),
    "record_meeting_attendance": gettext_lazy("Kehadiran rapat pleno dicatat"),
    "close_meeting": gettext_lazy("Rapat pleno ditutup; SK dan berita acara bernomor"),
    "start_meeting_issue": gettext_lazy("Penerbitan sertifikat rapat pleno dimulai"),
})


def quorum():
    return settings.PLENO_QUORUM


# --- reading -----------------------------------------------------------------------------------------


def committee_members():
    """Everyone who may sit in a plenary meeting: active users with the committee role."""
    return (User.objects.filter(roles__role=Role.COMMITTEE, is_active=True).distinct()
            .order_by("first_name", "last_name", "username"))


def meetings():
    return Meeting.objects.select_related("opened_by").prefetch_related("members")


def decisions_in(meeting, *, current_only=True):
    """The decisions taken in the meeting (K first, then BK; by case number)."""
    manager = Decision.objects if current_only else Decision.all_versions
    return (manager.filter(meeting_ref=meeting.reference).select_related("case__candidate", "case__scheme",
                                                                          "decided_by")
            .order_by("decision", "case__number"))


def agenda(meeting):
    """The cases still waiting for the committee's decision (only while the meeting is open)."""
    return list(cases_with_status([CaseStatus.AWAITING_DECISION])) if meeting.is_open else []


def deciders(meeting, case):
    """The present members free to decide the case: committee for this case (never assessed it)."""
    return [m for m in meeting.members.all() if Role.COMMITTEE in roles_for(m, case)]


def case_checklist(case):
    """What the committee checks before deciding (S5.1): each part of the file, present or missing.
    [(label, ok, detail)]."""
    application = application_of(case)
    answers = self_assessment(case)
    evidence = sum(a.evidence.count() for a in answers)
    record = assessment_record(case)
    report = assessment_report(case)
    plan = approved_plan(case.event if case.event_id else None)
    recommendation = assessor_recommendation(case)
    return [
        (_("FR.APL.01 Permohonan sertifikasi"), application is not None and case.submitted_at is not None,
         _("diajukan") if case.submitted_at else _("belum diajukan")),
        (_("FR.APL.02 Asesmen mandiri dan bukti"), answers.exists(),
         _("%(n)s elemen, %(e)s bukti terkait") % {"n": answers.count(), "e": evidence}),
        (_("Rencana asesmen (FR.MAPA.01/02) disetujui"), plan is not None,
         _("versi %(v)s") % {"v": plan.version} if plan else _("belum disetujui")),
        (_("FR.AK.02 Rekaman asesmen kompetensi"), record is not None,
         _("rekomendasi %(r)s") % {"r": recommendation} if recommendation else _("belum tercatat")),
        (_("Umpan balik kepada asesi"), feedback_of(case) is not None, ""),
        (_("FR.AK.06 Meninjau proses asesmen"), review_of(case) is not None, ""),
        (_("FR.AK.05 Laporan asesmen"), report is not None, ""),
    ]


def file_complete(case):
    return all(ok for _label, ok, _detail in case_checklist(case))


# --- acts --------------------------------------------------------------------------------------------


def _require_committee(actor):
    if Role.COMMITTEE not in actor.role_set():
        raise NotAllowed(_("Hanya anggota komite teknis yang dapat mengelola rapat pleno."))


def _clean_members(members):
    allowed = set(committee_members().values_list("pk", flat=True))
    chosen = {getattr(m, "pk", m) for m in members}
    if not chosen:
        raise WorkflowError(_("Pilih anggota komite yang hadir."),
                            field_errors={"members": [_("Pilih sedikitnya satu anggota yang hadir.")]})
    if chosen - allowed:
        raise WorkflowError(_("Hanya anggota komite teknis yang dapat dicatat hadir."),
                            field_errors={"members": [_("Ada orang yang bukan anggota komite teknis.")]})
    return sorted(chosen)


def open_meeting(actor, *, held_on, members, place=""):
    """A committee member opens a plenary meeting and records who is present. Takes the meeting's number."""
    _require_committee(actor)
    chosen = _clean_members(members)
    with transaction.atomic():
        year = held_on.year
        n = next_number("pleno", year)
        meeting = Meeting.objects.create(reference=f"PLENO/{services.lsp_abbreviation()}/{year}/{n:03d}",
                                         held_on=held_on, place=(place or "").strip(), opened_by=actor)
        meeting.members.set(chosen)
        log_action(actor, "open_meeting", meeting, data={"members": chosen, "quorum": quorum()})
    return meeting


def _locked_open(meeting):
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_open:
        raise WorkflowError(_("Rapat pleno %(ref)s sudah ditutup.") % {"ref": meeting.reference})
    return meeting


def record_attendance(meeting, actor, *, members):
    """A committee member corrects who is present (only while the meeting is open)."""
    _require_committee(actor)
    chosen = _clean_members(members)
    with transaction.atomic():
        meeting = _locked_open(meeting)
        meeting.members.set(chosen)
        log_action(actor, "record_meeting_attendance", meeting, data={"members": chosen})
    return meeting


def decide_in_meeting(meeting, case, actor, *, decision, reason=""):
    """A present committee member decides one case K or BK within the open meeting, through the decision
    services (which check role and status: nobody decides a case they assessed). Refused when fewer than the
    quorum of present members are free to decide this case."""
    _require_committee(actor)
    with transaction.atomic():
        meeting = _locked_open(meeting)
        present = set(meeting.members.values_list("pk", flat=True))
        if actor.pk not in present:
            raise WorkflowError(_("Anda tidak tercatat hadir dalam rapat ini. Catat kehadiran Anda lebih dulu."))
        if case.assessed_by(actor):
            raise NotAllowed(_("Anda pernah mengases permohonan %(case)s, sehingga tidak boleh memutuskannya. "
                               "Anggota lain yang hadir memutuskannya dalam rapat ini.") % {"case": case.number})
        free = deciders(meeting, case)
        if len(free) < quorum():
            raise WorkflowError(
                _("Kuorum tidak terpenuhi: hanya %(n)s anggota hadir yang boleh memutuskan permohonan %(case)s, "
                  "padahal paling sedikit %(q)s diperlukan. Catat kehadiran anggota lain, atau putuskan pada "
                  "rapat berikutnya.") % {"n": len(free), "case": case.number, "q": quorum()})
        if decision == Result.K:
            return services.decide_competent(case, actor, reason=reason, meeting_ref=meeting.reference)
        if decision == Result.BK:
            return services.decide_not_competent(case, actor, reason=reason, meeting_ref=meeting.reference)
        raise WorkflowError(_("Pilih keputusan: Kompeten (K) atau Belum Kompeten (BK)."))


def close_meeting(meeting, actor):
    """A present committee member closes the meeting: the SK and the minutes take their numbers."""
    _require_committee(actor)
    with transaction.atomic():
        meeting = _locked_open(meeting)
        if not meeting.members.filter(pk=actor.pk).exists():
            raise WorkflowError(_("Hanya anggota yang hadir yang dapat menutup rapat."))
        if not decisions_in(meeting).exists():
            raise WorkflowError(_("Belum ada permohonan yang diputuskan dalam rapat ini; rapat tanpa keputusan "
                                  "tidak menghasilkan SK."))
        year = meeting.held_on.year
        abbr = services.lsp_abbreviation()
        meeting.sk_number = f"SK/{abbr}/{year}/{next_number('pleno_sk', year):03d}"
        meeting.minutes_number = f"BA/{abbr}/{year}/{next_number('pleno_ba', year):03d}"
        meeting.status = Meeting.Status.CLOSED
        meeting.closed_at = timezone.now()
        meeting.closed_by = actor
        meeting.save()
        log_action(actor, "close_meeting", meeting, data={"sk": meeting.sk_number, "minutes": meeting.minutes_number})
    return meeting


# --- the numbered PDFs ---------------------------------------------------------------------------------


def _rows(meeting, result):
    return [{"case": d.case.number, "name": d.case.candidate.display_name, "scheme": d.case.scheme.title,
             "reason": d.reason} for d in decisions_in(meeting) if d.decision == result]


def _members(meeting):
    return [m.display_name for m in meeting.members.all().order_by("first_name", "last_name", "username")]


def sk_pdf(meeting):
    """The decision letter (SK): who is declared K and who BK in this meeting."""
    if meeting.is_open:
        raise WorkflowError(_("SK terbit setelah rapat ditutup."))
    return render_pdf("pleno-sk.typ", {
        "number": meeting.sk_number, "meeting": meeting.reference, "held_on": fmt_date(meeting.held_on),
        "competent": _rows(meeting, Result.K), "not_competent": _rows(meeting, Result.BK),
        "signatures": [signature("Ketua Rapat Pleno", meeting.closed_by.display_name, signed_at=meeting.closed_at)],
    })


def minutes_pdf(meeting):
    """The minutes (berita acara): when and where, who was present, the quorum, what was decided."""
    if meeting.is_open:
        raise WorkflowError(_("Berita acara terbit setelah rapat ditutup."))
    return render_pdf("pleno-ba.typ", {
        "number": meeting.minutes_number, "meeting": meeting.reference, "sk_number": meeting.sk_number,
        "held_on": fmt_date(meeting.held_on, weekday=True), "place": meeting.place,
        "opened_at": fmt_datetime(meeting.opened_at), "closed_at": fmt_datetime(meeting.closed_at),
        "members": _members(meeting), "quorum": quorum(),
        "decisions": [{"case": d.case.number, "name": d.case.candidate.display_name, "decision": d.decision,
                       "by": d.decided_by.display_name} for d in decisions_in(meeting)],
        "signatures": [signature("Anggota Komite", name, signed_at=meeting.closed_at) for name in _members(meeting)],
    })


# --- issuing the meeting's certificates as one background job -------------------------------------------


def may_issue(actor):
    return bool(actor.role_set() & {Role.LSP_HEAD, Role.ADMIN})


def issue_job_of(meeting):
    return running_job(ISSUE_JOB, f"meeting:{meeting.pk}")


def start_issue_job(meeting, actor):
    """The LSP head (or admin) issues every K certificate of a closed meeting as one background job."""
    if not may_issue(actor):
        raise NotAllowed(_("Hanya Ketua LSP atau Admin LSP yang dapat menerbitkan sertifikat."))
    if meeting.is_open:
        raise WorkflowError(_("Sertifikat diterbitkan setelah rapat pleno ditutup."))
    total = decisions_in(meeting).filter(decision=Result.K).count()
    if not total:
        raise WorkflowError(_("Tidak ada keputusan Kompeten dalam rapat ini; tidak ada sertifikat untuk diterbitkan."))
    with transaction.atomic():
        # Two servers may get "Terbitkan" for the same meeting at the same moment (a double click, two tabs):
        # the meeting's row lock makes the second wait for the first's job and return it, not start another.
        Meeting.objects.select_for_update().get(pk=meeting.pk)
        running = issue_job_of(meeting)
        if running is not None:  # already queued or running: watch that one
            return running
        job = start_job(ISSUE_JOB, actor, _("Terbitkan sertifikat rapat %(ref)s") % {"ref": meeting.reference},
                        ref=f"meeting:{meeting.pk}", params={"meeting": meeting.pk}, total=total,
                        result_url=meeting.get_absolute_url())
        log_action(actor, "start_meeting_issue", meeting, data={"job": job.pk, "total": total})
    return job


# Certificates issued in one transaction (one batch: services.issue_certificate_batch): the job's page moves by
# this many at a time; a batch holds the number sequence for about a second.
ISSUE_BATCH = 32
# Below this many certificates the job makes them in its own process: starting worker processes would cost more.
PARALLEL_FROM = 32


def issue_processes(count):
    """How many processes make a job's `count` certificates (settings.ISSUE_PROCESSES, 1 for a small meeting)."""
    return settings.ISSUE_PROCESSES if count >= PARALLEL_FROM else 1


def _issue_meeting(job, progress):
    """The job's work: each K case of the meeting, in batches (services.issue_certificate_batch: each case its own
    act, a batch one transaction; the signed credentials and PDFs made in worker processes). A case that cannot
    be issued yet is reported in the job's message and the job goes on; a certificate that cannot be made fails
    the job, its batch not issued (the batches before it stay issued)."""
    meeting = Meeting.objects.get(pk=job.params["meeting"])
    decisions = list(decisions_in(meeting).filter(decision=Result.K).select_related("case__candidate"))
    progress.total(len(decisions))
    issued = dict(Certificate.objects.filter(case__in=[d.case_id for d in decisions])
                  .values_list("case_id", "number"))
    agreed = set(HolderAgreement.objects.filter(case__in=[d.case_id for d in decisions])
                 .values_list("case_id", flat=True))
    lines, to_issue = {}, []
    for d in decisions:
        case = d.case
        if case.pk in issued:
            lines[case.pk] = _("%(case)s: sudah bersertifikat %(number)s.") % {"case": case.number,
                                                                             "number": issued[case.pk]}
        elif case.pk not in agreed:
            lines[case.pk] = (_("%(case)s (%(name)s): belum diterbitkan — asesi belum menandatangani persetujuan "
                                "penggunaan sertifikat.") % {"case": case.number, "name": case.candidate.display_name})
        else:
            to_issue.append(case)
    cases = [d.case for d in decisions]
    reported = 0  # the decisions whose line is in the job's message, in the meeting's order

    def report(upto):
        nonlocal reported
        done = cases[reported:upto]
        if done:
            progress.advance(len(done), "\n".join(lines[c.pk] for c in done))
        reported = upto

    position = {c.pk: i for i, c in enumerate(cases)}
    with issuing.JobPress(processes=issue_processes(len(to_issue))) as press:
        for start in range(0, len(to_issue), ISSUE_BATCH):
            batch = to_issue[start:start + ISSUE_BATCH]
            for case, cert, error in services.issue_certificate_batch(batch, job.owner, press=press):
                if error is not None:
                    lines[case.pk] = (_("%(case)s (%(name)s): belum diterbitkan — %(reason)s")
                                      % {"case": case.number, "name": case.candidate.display_name,
                                         "reason": error.message})
                else:
                    lines[case.pk] = (_("%(case)s (%(name)s): sertifikat %(number)s terbit.")
                                      % {"case": case.number, "name": case.candidate.display_name,
                                         "number": cert.number})
            report(position[batch[-1].pk] + 1)
    report(len(cases))


register_job(ISSUE_JOB, _issue_meeting)
