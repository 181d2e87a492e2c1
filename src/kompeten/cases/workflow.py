"""The one workflow table: for each act, the statuses it starts from, who may do it, and the status after.

Two kinds of object move through the SOP: the Case (one candidate, one scheme) and the AssessmentEvent
(one scheme, one TUK, dates, assessors and candidates). Both are listed here so the whole process can be
read in one place. Every service performs its act through `transition()`, which

1. locks the row and checks status and role against this table (typed errors with a clear message),
2. lets the service change the locked object inside the same transaction,
3. sets the status after, saves, and writes one ActionLog entry.

Notifications are queued by the service with core.notify.notify (delivered on commit); a notice that asks
for an act names it (`about=obj, asks=(code, ...)`) and `transition()` marks it done when the act is done.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role
from kompeten.core.notify import settle_notices


class CaseStatus:
    """Values of Case.status (the TextChoices live on the model: cases.models.Case.Status)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    REVISION = "revision"
    NOT_ACCEPTED = "not_accepted"
    ACCEPTED = "accepted"
    SCHEDULED = "scheduled"
    CONFIRMED = "confirmed"
    AGREED = "agreed"
    READY = "ready"
    NOT_CONTINUED = "not_continued"
    IN_ASSESSMENT = "in_assessment"
    ASSESSED = "assessed"
    REVIEWED = "reviewed"
    REPORTED = "reported"
    AWAITING_DECISION = "awaiting_decision"
    COMPETENT = "competent"
    NOT_COMPETENT = "not_competent"
    CERTIFIED = "certified"
    SURVEILLANCE = "surveillance"
    WITHDRAWN = "withdrawn"


class EventStatus:
    """Values of AssessmentEvent.status."""

    DRAFT = "draft"
    PUBLISHED = "published"
    HELD = "held"
    CLOSED = "closed"
    CANCELLED = "cancelled"


S = CaseStatus
E = EventStatus
R = Role


@dataclass(frozen=True)
class Act:
    code: str
    label: object  # lazy translated text for the action log: what was done ("Dokumen diterima")
    step: str  # SOP step id from DOMAIN.md
    kind: str  # "case" or "event"
    sources: tuple  # statuses the act may start from
    roles: frozenset  # roles that may perform it (relation to the object, see roles_for)
    target: str | None  # status after; None keeps the status (the service may complete a stage)
    auto: bool = False  # a follow-on act the service performs itself when a stage is complete
    button: object = None  # lazy translated text in the imperative, for buttons and next steps ("Terima dokumen")


def _act(code, label, step, kind, sources, roles, target, auto=False, *, button=None):
    auto = auto or code.startswith("complete_")
    return Act(code, label, step, kind, tuple(sources), frozenset(roles), target, auto, button or label)


CASE_FLOW = [
    # S1.2 the candidate fills APL.01 and APL.02, then submits; a returned file is fixed and resubmitted.
    _act("submit_application", _("Mengajukan permohonan (APL.01 & APL.02)"), "S1.2", "case",
         [S.DRAFT, S.REVISION], [R.CANDIDATE], S.SUBMITTED,
         button=_("Ajukan permohonan (APL.01 & APL.02)")),
    _act("withdraw", _("Menarik permohonan"), "S1.2", "case",
         [S.DRAFT, S.SUBMITTED, S.REVISION, S.ACCEPTED, S.SCHEDULED], [R.CANDIDATE], S.WITHDRAWN,
         button=_("Tarik permohonan")),
    # S2.1 the admin reviews the documents. Done before scheduling so no seat goes to an unready file.
    _act("accept_application", _("Dokumen diterima"), "S2.1", "case", [S.SUBMITTED], [R.ADMIN], S.ACCEPTED,
         button=_("Terima dokumen")),
    _act("return_application", _("Dokumen dikembalikan untuk perbaikan"), "S2.1", "case",
         [S.SUBMITTED], [R.ADMIN], S.REVISION,
         button=_("Kembalikan dokumen untuk perbaikan")),
    _act("reject_application", _("Dokumen tidak diterima"), "S2.1", "case",
         [S.SUBMITTED], [R.ADMIN], S.NOT_ACCEPTED,
         button=_("Tolak dokumen")),
    # S1.5/S1.6 the admin places an accepted candidate into a published event with an assessor.
    _act("schedule_case", _("Menjadwalkan asesi dan menugaskan asesor"), "S1.6", "case",
         [S.ACCEPTED], [R.ADMIN], S.SCHEDULED,
         button=_("Jadwalkan asesi dan tugaskan asesor")),
    _act("confirm_schedule", _("Mengonfirmasi jadwal"), "S1.6", "case",
         [S.SCHEDULED], [R.CANDIDATE, R.ASSESSOR], None,
         button=_("Konfirmasi jadwal")),
    _act("request_reschedule", _("Meminta jadwal ulang"), "S1.6", "case",
         [S.SCHEDULED], [R.CANDIDATE, R.ASSESSOR], S.ACCEPTED,
         button=_("Minta jadwal ulang")),
    _act("unschedule_case", _("Jadwal dibatalkan — asesi menunggu jadwal baru"), "S1.6", "case",
         [S.SCHEDULED, S.CONFIRMED, S.AGREED, S.READY], [R.ADMIN], S.ACCEPTED, auto=True,
         button=_("Batalkan jadwal asesi")),  # by cancel_event
    _act("complete_confirmation", _("Jadwal dikonfirmasi asesor dan asesi"), "S1.6", "case",
         [S.SCHEDULED], [R.CANDIDATE, R.ASSESSOR], S.CONFIRMED,
         button=_("Tuntaskan konfirmasi jadwal")),
    # S2.3 consultation and the AK.01 agreement, signed by both; S2.4 reasonable adjustment (AK.07).
    _act("record_consultation", _("Mencatat konsultasi pra-asesmen"), "S2.3", "case",
         [S.CONFIRMED], [R.ASSESSOR], None,
         button=_("Catat konsultasi pra-asesmen")),
    _act("sign_agreement", _("Menandatangani FR.AK.01"), "S2.3", "case",
         [S.CONFIRMED], [R.CANDIDATE, R.ASSESSOR], None,
         button=_("Tandatangani FR.AK.01")),
    _act("complete_agreement", _("FR.AK.01 ditandatangani asesor dan asesi"), "S2.3", "case",
         [S.CONFIRMED], [R.CANDIDATE, R.ASSESSOR], S.AGREED,
         button=_("Tuntaskan persetujuan FR.AK.01")),
    _act("record_adjustment", _("Mencatat penyesuaian yang wajar (FR.AK.07)"), "S2.4", "case",
         [S.CONFIRMED, S.AGREED], [R.ASSESSOR], None,
         button=_("Catat penyesuaian yang wajar (FR.AK.07)")),
    # S2.5 the assessor reviews APL.02 and recommends whether the assessment goes ahead.
    _act("recommend_continue", _("Asesmen dapat dilanjutkan (kaji APL.02)"), "S2.5", "case",
         [S.AGREED], [R.ASSESSOR], S.READY,
         button=_("Rekomendasikan asesmen dilanjutkan (kaji APL.02)")),
    _act("recommend_stop", _("Asesmen tidak dapat dilanjutkan (kaji APL.02)"), "S2.5", "case",
         [S.AGREED], [R.ASSESSOR], S.NOT_CONTINUED,
         button=_("Rekomendasikan asesmen tidak dilanjutkan (kaji APL.02)")),
    # S3.1 on the day: the TUK or the admin checks the candidate in (resources are checked on the event).
    _act("check_in", _("Kehadiran asesi dan kesiapan sumber daya diperiksa"), "S3.1", "case",
         [S.READY], [R.ADMIN, R.TUK_HEAD], S.IN_ASSESSMENT,
         button=_("Periksa kehadiran asesi dan kesiapan sumber daya")),
    # S3.2 on the day the assessor fills the plan's instruments (observation, questions, portfolio …) per item.
    _act("record_evidence", _("Mengisi perangkat asesmen (observasi, pertanyaan, portofolio)"), "S3.2", "case",
         [S.IN_ASSESSMENT], [R.ASSESSOR], None,
         button=_("Isi perangkat asesmen (observasi, pertanyaan, portofolio)")),
    # S3.2 the written test (FR.IA.05/IA.06) in the browser: the candidate takes and submits it (assessment/
    # written_test.py keeps the deadline; answers are saved without an act each), the assessor marks the essays.
    _act("take_written_test", _("Mengerjakan tes tertulis (FR.IA.05/IA.06)"), "S3.2", "case",
         [S.IN_ASSESSMENT], [R.CANDIDATE], None,
         button=_("Kerjakan tes tertulis")),
    _act("submit_written_test", _("Mengumpulkan tes tertulis"), "S3.2", "case",
         [S.IN_ASSESSMENT], [R.CANDIDATE], None, auto=True,
         button=_("Kumpulkan tes tertulis")),
    _act("mark_written_test", _("Menilai jawaban esai tes tertulis (FR.IA.06)"), "S3.2", "case",
         [S.IN_ASSESSMENT], [R.ASSESSOR], None,
         button=_("Nilai jawaban esai tes tertulis")),
    # S3.2, S4.2, S4.3 the assessor records the assessment (FR.AK.02) with K/BK per unit.
    _act("record_assessment", _("Mencatat rekaman asesmen dan rekomendasi K/BK (FR.AK.02)"), "S4.3", "case",
         [S.IN_ASSESSMENT], [R.ASSESSOR], S.ASSESSED,
         button=_("Catat rekaman asesmen dan rekomendasi K/BK (FR.AK.02)")),
    # A signed FR.AK.02 is never edited: before the candidate co-signs, the assessor may record a correction
    # (a new record with its reason that supersedes the old one; both are kept and printable).
    _act("correct_assessment", _("Mengoreksi rekaman asesmen (FR.AK.02)"), "S4.3", "case",
         [S.ASSESSED], [R.ASSESSOR], None,
         button=_("Koreksi rekaman asesmen (FR.AK.02)")),
    # S4.1 feedback both ways: the assessor's to the candidate, the candidate's FR.AK.03.
    _act("give_feedback", _("Memberi umpan balik"), "S4.1", "case",
         [S.ASSESSED], [R.ASSESSOR, R.CANDIDATE], None,
         button=_("Beri umpan balik")),
    # S4.4 review of the assessment (FR.AK.06) by the assessor or a lead assessor.
    _act("review_assessment", _("Meninjau proses asesmen (FR.AK.06)"), "S4.4", "case",
         [S.ASSESSED], [R.ASSESSOR, R.LEAD_ASSESSOR], S.REVIEWED,
         button=_("Tinjau proses asesmen (FR.AK.06)")),
    # S4.5 the report (FR.AK.05) goes to the head of the TUK, who passes it to the LSP.
    _act("submit_report", _("Menyerahkan laporan asesmen ke Ketua TUK (FR.AK.05)"), "S4.5", "case",
         [S.REVIEWED], [R.ASSESSOR], S.REPORTED,
         button=_("Serahkan laporan asesmen ke Ketua TUK (FR.AK.05)")),
    _act("forward_report", _("Ketua TUK meneruskan laporan ke LSP"), "S4.5", "case",
         [S.REPORTED], [R.TUK_HEAD], S.AWAITING_DECISION,
         button=_("Teruskan laporan ke LSP")),
    # S5.1 the decision committee, never someone who assessed the case.
    _act("decide_competent", _("Keputusan: Kompeten"), "S5.1", "case",
         [S.AWAITING_DECISION], [R.COMMITTEE], S.COMPETENT,
         button=_("Putuskan: Kompeten")),
    _act("decide_not_competent", _("Keputusan: Belum Kompeten"), "S5.1", "case",
         [S.AWAITING_DECISION], [R.COMMITTEE], S.NOT_COMPETENT,
         button=_("Putuskan: Belum Kompeten")),
    # Appeal (FR.AK.04, ISO/IEC 17024 §9.7): a candidate with a BK recommendation or decision appeals within the
    # LSP's deadline (the appeals app keeps the appeal and its handling). An upheld appeal reopens the case by one
    # of two acts, done by the appeal's handler (never someone involved in the case): a new assessment (the
    # fault was in the assessment) or a new decision (the fault was in the decision). Old records are kept.
    _act("lodge_appeal", _("Mengajukan banding (FR.AK.04)"), "S5.1", "case",
         [S.ASSESSED, S.REVIEWED, S.REPORTED, S.AWAITING_DECISION, S.NOT_COMPETENT], [R.CANDIDATE], None,
         button=_("Ajukan banding (FR.AK.04)")),
    _act("reopen_for_assessment", _("Banding dikabulkan: asesmen diulang"), "S5.1", "case",
         [S.ASSESSED, S.REVIEWED, S.REPORTED, S.AWAITING_DECISION, S.NOT_COMPETENT],
         [R.ADMIN, R.LSP_HEAD, R.COMMITTEE, R.LEAD_ASSESSOR], S.IN_ASSESSMENT, auto=True,
         button=_("Buka kembali untuk asesmen ulang")),
    _act("reopen_for_decision", _("Banding dikabulkan: keputusan dibuat ulang"), "S5.1", "case",
         [S.NOT_COMPETENT], [R.ADMIN, R.LSP_HEAD, R.COMMITTEE, R.LEAD_ASSESSOR], S.AWAITING_DECISION, auto=True,
         button=_("Buka kembali untuk keputusan baru")),
    # S5.2 the holder signs the agreement on using the certificate; the LSP issues it.
    _act("sign_holder_agreement", _("Menandatangani persetujuan penggunaan sertifikat"), "S5.2", "case",
         [S.COMPETENT], [R.CANDIDATE], None,
         button=_("Tandatangani persetujuan penggunaan sertifikat")),
    _act("issue_certificate", _("Menerbitkan sertifikat kompetensi"), "S5.2", "case",
         [S.COMPETENT], [R.LSP_HEAD, R.ADMIN], S.CERTIFIED,
         button=_("Terbitkan sertifikat kompetensi")),
    # S5.3 enrolment in surveillance for the validity period.
    _act("enrol_surveillance", _("Mendaftarkan pemegang sertifikat ke surveilan"), "S5.3", "case",
         [S.CERTIFIED], [R.ADMIN], S.SURVEILLANCE,
         button=_("Daftarkan pemegang sertifikat ke surveilan")),
    # The certificate's status while the holder holds it (ISO/IEC 17024 §9.6): suspended, reinstated or withdrawn
    # by the LSP, with a reason. The case keeps its status; the certificate's own status changes (certification
    # registers which certificate status each act starts from). Not a to-do of any queue: auto.
    _act("suspend_certificate", _("Sertifikat dibekukan"), "S5.3", "case",
         [S.CERTIFIED, S.SURVEILLANCE], [R.ADMIN, R.LSP_HEAD], None, auto=True,
         button=_("Bekukan sertifikat")),
    _act("reinstate_certificate", _("Pembekuan sertifikat dicabut (berlaku kembali)"), "S5.3", "case",
         [S.CERTIFIED, S.SURVEILLANCE], [R.ADMIN, R.LSP_HEAD], None, auto=True,
         button=_("Berlakukan kembali sertifikat")),
    _act("withdraw_certificate", _("Sertifikat dicabut"), "S5.3", "case",
         [S.CERTIFIED, S.SURVEILLANCE], [R.ADMIN, R.LSP_HEAD], None, auto=True,
         button=_("Cabut sertifikat")),
]

EVENT_FLOW = [
    _act("record_feasibility", _("Mencatat kaji fisibilitas"), "S1.3", "event", [E.DRAFT], [R.ADMIN], None,
         button=_("Catat kaji fisibilitas")),
    _act("designate_site", _("Menetapkan TUK"), "S1.4", "event", [E.DRAFT], [R.ADMIN], None,
         button=_("Tetapkan TUK")),
    _act("assign_assessor", _("Menugaskan asesor (surat tugas)"), "S1.5", "event",
         [E.DRAFT, E.PUBLISHED], [R.ADMIN], None,
         button=_("Tugaskan asesor (surat tugas)")),
    _act("declare_conflict", _("Menyatakan konflik kepentingan"), "S1.5", "event",
         [E.DRAFT, E.PUBLISHED], [R.ASSESSOR], None,
         button=_("Nyatakan konflik kepentingan")),
    # A TUK registers a whole class for the event from a spreadsheet (events.imports): accounts, invitations and
    # draft cases placed for the event. Not a step everyone must take: auto keeps it off to-do lists.
    _act("import_candidates", _("Mengimpor asesi dari berkas"), "S1.2", "event", [E.DRAFT, E.PUBLISHED],
         [R.ADMIN, R.TUK_HEAD], None, auto=True, button=_("Impor asesi dari berkas")),
    _act("publish_event", _("Menerbitkan jadwal uji kompetensi"), "S1.6", "event", [E.DRAFT], [R.ADMIN],
         E.PUBLISHED,
         button=_("Terbitkan jadwal uji kompetensi")),
    _act("submit_plan", _("Mengajukan rencana asesmen (FR.MAPA.01/02)"), "S2.2", "event",
         [E.DRAFT, E.PUBLISHED], [R.ASSESSOR], None,
         button=_("Ajukan rencana asesmen (FR.MAPA.01/02)")),
    _act("approve_plan", _("Menyetujui rencana asesmen"), "S2.2", "event",
         [E.DRAFT, E.PUBLISHED], [R.ADMIN, R.LEAD_ASSESSOR], None,
         button=_("Setujui rencana asesmen")),
    _act("return_plan", _("Mengembalikan rencana asesmen dengan catatan"), "S2.2", "event",
         [E.DRAFT, E.PUBLISHED], [R.ADMIN, R.LEAD_ASSESSOR], None,
         button=_("Kembalikan rencana asesmen dengan catatan")),
    _act("check_resources", _("Memeriksa kesiapan TUK, asesor dan peralatan"), "S3.1", "event",
         [E.PUBLISHED], [R.ADMIN, R.TUK_HEAD], None,
         button=_("Periksa kesiapan TUK, asesor dan peralatan")),
    _act("hold_event", _("Uji kompetensi dilaksanakan"), "S3.2", "event", [E.PUBLISHED], [R.ADMIN, R.TUK_HEAD],
         E.HELD,
         button=_("Laksanakan uji kompetensi")),
    _act("close_event", _("Menutup jadwal uji kompetensi"), "S4.5", "event", [E.HELD], [R.ADMIN], E.CLOSED,
         button=_("Tutup jadwal uji kompetensi")),
    _act("cancel_event", _("Membatalkan jadwal uji kompetensi"), "S1.6", "event", [E.DRAFT, E.PUBLISHED],
         [R.ADMIN], E.CANCELLED,
         button=_("Batalkan jadwal uji kompetensi")),
]

ACTS = {a.code: a for a in CASE_FLOW + EVENT_FLOW}
register_act_labels({a.code: a.label for a in ACTS.values()})


# --- who the person is, in relation to the object -------------------------------------------------


def roles_for(user, obj):
    """The roles `user` holds *for this case or event*: global staff roles, plus the candidate of the
    case, the assessor assigned to it, the head of its TUK. The committee role is withheld from anyone
    who assessed the case (DOMAIN §4: nobody decides on a case they assessed)."""
    if user is None or not user.is_authenticated:
        return set()
    held = user.role_set()
    roles = {r for r in held if r in {R.ADMIN, R.LSP_HEAD, R.LEAD_ASSESSOR, R.COMMITTEE}}
    if obj.__class__.__name__ == "Case":
        if obj.candidate_id == user.pk:
            roles.add(R.CANDIDATE)
        if R.ASSESSOR in held and obj.assessor_id and obj.assessor.user_id == user.pk:
            roles.add(R.ASSESSOR)
        if roles & {R.COMMITTEE, R.LEAD_ASSESSOR} and obj.assessed_by(user):
            roles.discard(R.COMMITTEE)
            roles.discard(R.LEAD_ASSESSOR)
        site_id = obj.event.site_id if obj.event_id else None
    else:  # AssessmentEvent
        if R.ASSESSOR in held and obj.assignments.filter(assessor__user=user).exists():
            roles.add(R.ASSESSOR)
        site_id = obj.site_id
    if site_id and R.TUK_HEAD in held and user.roles.filter(role=R.TUK_HEAD, site_id=site_id).exists():
        roles.add(R.TUK_HEAD)
    return roles


# Acts that a person does once within a status (confirming, signing): the app that owns the record
# registers here how to tell it is done, so buttons, next steps, deadlines and home pages stop asking for it.
DONE_CHECKS = {}

# What must be true before an act can be done at all, beyond status and role (the holder signed before the
# certificate is issued, the event day has come before a check-in …). The app that owns the record registers
# it; transition() refuses with its sentence, allowed_acts leaves the act out, next_steps shows it as waiting.
PRECONDITIONS = {}


def register_done_check(code, fn):
    """fn(obj, user) -> True when `user` has already done act `code` on `obj` in its current status.
    next_steps asks it for each party: user is the candidate or the case's assessor for those roles, and None
    for roles held by staff (then fn must say whether the act is done at all)."""
    DONE_CHECKS[code] = fn


def register_precondition(code, fn):
    """fn(obj) -> None when act `code` may be done on obj now, otherwise a clear sentence saying why not yet.
    Several may be registered for one act; the first that objects is shown."""
    PRECONDITIONS.setdefault(code, []).append(fn)


def blocker(obj, code):
    """Why act `code` cannot be done on obj yet (its registered preconditions), or None."""
    for fn in PRECONDITIONS.get(code, ()):
        why = fn(obj)
        if why:
            return why
    return None


def _done(act, obj, user):
    return act.code in DONE_CHECKS and bool(DONE_CHECKS[act.code](obj, user))


def _party(obj, role):
    """(is a party role, the person holding it) for next_steps: the candidate and the case's assessor are
    one known person each; every other role is held by staff (None)."""
    if obj.__class__.__name__ == "Case":
        if role == R.CANDIDATE:
            return True, obj.candidate
        if role == R.ASSESSOR:
            return True, obj.assessor.user if obj.assessor_id else None
    return False, None


def pending_roles(act, obj):
    """The roles of `act` that have still to do it on obj (all of them unless a done-check says otherwise)."""
    if act.code not in DONE_CHECKS:
        return sorted(act.roles)
    out = []
    for role in sorted(act.roles):
        party, person = _party(obj, role)
        if party and person is None:
            out.append(role)
        elif not _done(act, obj, person):
            out.append(role)
    return out


def allowed_acts(user, obj):
    """Acts this user may do on obj right now (for buttons and home pages): status and role fit, not done
    yet by this user, and nothing it waits for (preconditions); follow-on acts excluded."""
    flow = CASE_FLOW if obj.__class__.__name__ == "Case" else EVENT_FLOW
    mine = roles_for(user, obj)
    return [
        a for a in flow
        if obj.status in a.sources and a.roles & mine and not a.auto
        and not _done(a, obj, user) and not blocker(obj, a.code)
    ]


class Step(tuple):
    """One next step for the case/event page: the act, who has still to do it, and what it waits for.
    It is the (act, who) pair it always was (templates unpack it so); .waiting is read by name."""

    def __new__(cls, act, who, waiting=None):
        step = super().__new__(cls, (act, who))
        step.waiting = waiting  # a sentence when a precondition is not met yet, else None
        return step

    @property
    def act(self):
        return self[0]

    @property
    def who(self):
        return self[1]


def next_steps(obj):
    """What may happen next and who must act, for the case/event page: [Step(act, [role labels], waiting)].
    Acts everyone concerned has done are left out; acts that wait for something say what."""
    flow = CASE_FLOW if obj.__class__.__name__ == "Case" else EVENT_FLOW
    out = []
    for a in flow:
        if obj.status not in a.sources or a.auto:
            continue
        roles = pending_roles(a, obj)
        if roles:
            out.append(Step(a, [Role(r).label for r in roles], blocker(obj, a.code)))
    return out


def check(user, obj, code):
    """Raise NotAllowed or WorkflowError unless `user` may do act `code` on `obj` now."""
    act = ACTS[code]
    mine = roles_for(user, obj)
    if not act.roles & mine:
        if R.COMMITTEE in act.roles and hasattr(obj, "assessed_by") and obj.assessed_by(user):
            raise NotAllowed(_("Anda pernah menjadi asesor pada permohonan ini, sehingga tidak boleh ikut "
                               "memutuskan. Keputusan harus dibuat oleh anggota komite lain."))
        who = ", ".join(str(Role(r).label) for r in sorted(act.roles))
        raise NotAllowed(_("“%(act)s” hanya boleh dilakukan oleh: %(who)s.") % {"act": act.label, "who": who})
    if obj.status not in act.sources:
        raise WorkflowError(
            _("“%(act)s” tidak dapat dilakukan karena status saat ini “%(status)s”.")
            % {"act": act.label, "status": obj.get_status_display()}
        )
    return act


def lock_in_order(objs):
    """Row-lock `objs` (of one model) in primary-key order, inside the caller's transaction: a batch of acts done
    in one transaction (each still through transition(), which finds its row locked already) takes its rows
    first, in one order, before any other lock (a number sequence), so that it never waits for a single act that
    waits for it."""
    if objs:
        model = type(objs[0])
        list(model.objects.select_for_update().filter(pk__in=[o.pk for o in objs]).order_by("pk")
             .values_list("pk", flat=True))


@contextmanager
def transition(obj, code, actor, *, reason="", data=None, target=None):
    """Perform one act atomically. Yields the locked, fresh object for the service to change; on exit
    sets the status after the act, saves, and writes the action log. `data` (a dict) can be filled by
    the service inside the block; it is stored with the log entry. `target` overrides the table's status
    only for acts whose target is None (a stage completed by a follow-on act is logged separately)."""
    data = {} if data is None else data
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        act = check(actor, locked, code)
        why = blocker(locked, code)
        if why:
            raise WorkflowError(why)
        before = locked.status
        yield locked
        after = act.target or target or before
        locked.status = after
        locked.save()
        log_action(actor, code, locked, reason=reason, data=data, status_before=before, status_after=after)
        # Notices asking for this act on this object are done, and so are those asking for acts that can no
        # longer be done from the status after.
        flow = CASE_FLOW if act.kind == "case" else EVENT_FLOW
        settle_notices(locked, code, actor, still_possible={a.code for a in flow if after in a.sources})
    # Keep the caller's instance in step with the database.
    obj.refresh_from_db()
