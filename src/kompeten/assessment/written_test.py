"""The written test (S3.2): FR.IA.05 multiple choice and FR.IA.06 essay, taken by the candidate in the browser at
the TUK on the assessment day, after check-in (case status in_assessment).

* The test holds the questions of the validated IA.05/IA.06 versions of the event's approved plan, multiple
  choice first, then essays, each part shuffled once for the attempt (the order is stored).
* The deadline is kept by the server: `started_at + minutes + extra_minutes`. The duration is the sum of the
  versions' `content["minutes"]` (DEFAULT_MINUTES each when unset). Extra time comes from FR.AK.07:
  `Adjustment.results["extra_minutes"]` (whole minutes, 0–240, recorded by the assessor with AK.07).
  Reloading the page recomputes the time left from the deadline.
* Every answer is saved as it is given (`save_answer` / `autosave`: one UPDATE of the answer row made at the
  start, so saving twice is the same as saving once; bench/bench_written_test.py measures it with a room of 50);
  after the deadline the server refuses it. An attempt left open past
  its deadline is closed (submitted automatically) by the next request that touches it (`close_if_expired`) and
  by `manage.py close_written_tests`.
* Multiple choice is scored at submission; essays are marked K/BK by the case's assessor against the model
  answers (`mark_essay`, one act per marking).
* `written_results(case)` gives the result per KUK for the roll-up (rule in its docstring).
* One attempt per assessment round (rounds.py): after an upheld appeal orders a new assessment the candidate
  takes the test again as a new attempt; the earlier round's attempt stays as it was (readable, printable).

Nothing a candidate is shown carries a key: `candidate_questions` builds the candidate's items with
`instruments.candidate_item`.
"""

import datetime as dt
import hmac
import random
import secrets
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from kompeten.assessment import instruments as I
from kompeten.assessment.models import (
    KBK,
    Adjustment,
    AssessmentPlan,
    InstrumentItem,
    InstrumentVersion,
    WrittenAnswer,
    WrittenAttempt,
)
from kompeten.assessment.rounds import current_round
from kompeten.cases.selectors import get_case
from kompeten.cases.workflow import roles_for, transition
from kompeten.core.actions import log_action, register_act_labels
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Role

register_act_labels({"close_written_test": _("Tes tertulis dikumpulkan otomatis pada batas waktu")})

WRITTEN_FORMS = ("IA.05", "IA.06")
DEFAULT_MINUTES = 60  # per IA.05/IA.06 version whose content sets no "minutes"
MAX_EXTRA_MINUTES = 240
# A KUK is K on the written test when at least this share of its multiple-choice items are answered correctly
# (and every essay covering it is marked K).
MC_PASS_SHARE = 0.75
MAX_ESSAY_CHARS = 20000


# --- reading ----------------------------------------------------------------------------------------------


def written_versions(case):
    """The validated IA.05/IA.06 versions of the approved plan of the case's event (multiple choice first)."""
    if not case.event_id:
        return []
    plan = case.event.plans.filter(status=AssessmentPlan.Status.APPROVED).order_by("-version").first()
    if plan is None:
        return []
    return list(plan.instrument_versions.filter(instrument__form__in=WRITTEN_FORMS)
                .select_related("instrument").order_by("instrument__form", "instrument__title", "number"))


def attempt_of(case, round=None):
    """The case's attempt in `round` (default: the current assessment round), or None."""
    return WrittenAttempt.objects.filter(case=case, round=round or current_round(case)).first()


def extra_minutes(case):
    """The extra time FR.AK.07 grants this candidate on the written test (0 when none)."""
    adj = Adjustment.objects.filter(case=case).first()
    try:
        value = int((adj.results or {}).get("extra_minutes") or 0) if adj else 0
    except (TypeError, ValueError):
        value = 0
    return max(0, min(value, MAX_EXTRA_MINUTES))


def duration_minutes(versions):
    return sum(int(v.content.get("minutes") or DEFAULT_MINUTES) for v in versions)


def seconds_left(attempt, now=None):
    """Whole seconds until the deadline, computed by the server (0 once it has passed)."""
    return seconds_until(attempt.deadline, now)


def seconds_until(deadline, now=None):
    now = now or timezone.now()
    return max(0, int((deadline - now).total_seconds()))


def is_expired(attempt, now=None):
    return (now or timezone.now()) >= attempt.deadline


def candidate_questions(attempt):
    """The questions in this attempt's order, in the only shape meant for a candidate (no key, no model answer),
    with the answer given so far: [{"n", "form", "item": candidate_item, "choice", "text", "saved_at"}]."""
    answers = {a.item_id: a for a in attempt.answers.all()}
    items = {i.pk: i for i in InstrumentItem.objects.filter(pk__in=attempt.order).select_related("version__instrument")}
    out = []
    for n, pk in enumerate(attempt.order, 1):
        item, ans = items[pk], answers.get(pk)
        out.append({"n": n, "form": item.version.instrument.form, "item": I.candidate_item(item),
                    "choice": ans.choice if ans else None, "text": ans.text if ans else "",
                    "saved_at": ans.saved_at if ans else None})
    return out


def nothing_to_take(case, user=None):
    """Done-check for take_written_test: the plan holds no written test, or the candidate has submitted it."""
    attempt = attempt_of(case)
    if attempt is not None:
        return attempt.status == WrittenAttempt.Status.SUBMITTED
    return not written_versions(case)


def nothing_to_mark(case, user=None):
    """Done-check for mark_written_test: no submitted test with an essay still unmarked."""
    return not WrittenAnswer.objects.filter(attempt__case=case, attempt__round=current_round(case),
                                            attempt__status=WrittenAttempt.Status.SUBMITTED,
                                            item__version__instrument__form="IA.06", mark="").exists()


# --- acts ---------------------------------------------------------------------------------------------------


def _shuffled(ids, rng):
    ids = list(ids)
    rng.shuffle(ids)
    return ids


def start_test(case, actor, *, now=None):
    """The candidate (S3.2), after check-in: opens the written test. The first call makes the attempt (order
    shuffled once, deadline = now + duration + AK.07 extra time, one empty answer row per question); later
    calls return the same attempt unchanged (a reload resumes it)."""
    existing = attempt_of(case)
    if existing is not None and existing.case.candidate_id == getattr(actor, "pk", None):
        close_if_expired(existing)
        return existing
    with transition(case, "take_written_test", actor) as c:
        versions = written_versions(c)
        if not versions:
            raise WorkflowError(_("Rencana asesmen jadwal ini tidak memuat tes tertulis (FR.IA.05/IA.06)."))
        round = current_round(c)
        if WrittenAttempt.objects.filter(case=c, round=round).exists():  # started meanwhile by another request
            return WrittenAttempt.objects.get(case=c, round=round)
        now = now or timezone.now()
        rng = random.Random(secrets.randbits(64))
        order = []
        for form in WRITTEN_FORMS:
            ids = list(InstrumentItem.objects.filter(version__in=[v for v in versions if v.instrument.form == form])
                       .order_by("version_id", "order", "id").values_list("pk", flat=True))
            order += _shuffled(ids, rng)
        if not order:
            raise WorkflowError(_("Tes tertulis pada rencana ini belum berisi soal."))
        minutes, extra = duration_minutes(versions), extra_minutes(c)
        attempt = WrittenAttempt.objects.create(
            case=c, round=round, order=order, minutes=minutes, extra_minutes=extra, started_at=now,
            deadline=now + timezone.timedelta(minutes=minutes + extra))
        attempt.versions.set(versions)
        WrittenAnswer.objects.bulk_create([WrittenAnswer(attempt=attempt, item_id=pk) for pk in order])
    return attempt


def _own_open_attempt(case, actor):
    if case.candidate_id != getattr(actor, "pk", None):
        raise NotAllowed(_("Tes tertulis ini hanya dapat dikerjakan oleh asesinya sendiri."))
    attempt = attempt_of(case)
    if attempt is None:
        raise WorkflowError(_("Tes tertulis belum dimulai."))
    return attempt


def save_answer(case, actor, *, item_id, choice=None, text=None, now=None):
    """The candidate: saves one answer as it is given (an UPDATE of its row; saving the same answer again
    changes nothing else). Refused after the deadline — the test is then closed — or once submitted.
    Returns the time the answer was saved."""
    return autosave(case.pk, actor, item_id=item_id, choice=choice, text=text, now=now)[0]


# --- the answer endpoint's token ---------------------------------------------------------------------------
#
# The answer endpoint (views_written.answer) is called by every candidate of a room at each tap. It is
# @sessionless (core.sessionless): it loads neither the session nor the person, and authenticates the request by
# the attempt's own token instead. Why that is as safe as the session:
# * The token is a capability for one attempt only: 32 random bytes, put into the candidate's own test page when
#   it is rendered (`take` checks the person is the case's candidate, and staff have passed the second factor
#   there), sent back in the X-Attempt-Token header of each save — with the CSRF cookie and header as before.
# * The database keeps only a keyed hash (salted_hmac with SECRET_KEY) of the token *and the session key*: the
#   token saves only when it comes with the session cookie of the page it was given to (HttpOnly, so a script
#   cannot read it), and a copy of the table saves nothing.
# * It is checked inside the one UPDATE (`_update_answer`), with the attempt's status and deadline: it works
#   only while the attempt is open and before its deadline (AK.07 extra time included), whatever any cache
#   says, in every server process at once (the cache is per process: a token kept there could not be revoked).
# * It is replaced at each rendering of the test page (a page open before no longer saves: it is told to
#   reload), emptied at logout (`forget_tokens`, on user_logged_out — the session key changes then too) and at
#   submission.
# * It never lets anyone read: the endpoint answers only ok, the time saved and the seconds left.
# Whatever is refused takes the full checks with the person loaded (`autosave`), which say what is wrong.

TOKEN_HEADER = "X-Attempt-Token"


def _token_hash(token, session_key):
    return salted_hmac("kompeten.written_test.token", f"{token}:{session_key or ''}",
                       algorithm="sha256").hexdigest()


def issue_token(attempt, session_key):
    """A new token for the candidate's test page now being rendered (the page's earlier tokens stop working),
    bound to the session `session_key`. Returns the token (for the page), or "" when the attempt is closed."""
    if attempt.status != WrittenAttempt.Status.OPEN or not session_key:
        return ""
    token = secrets.token_urlsafe(32)
    updated = (WrittenAttempt.objects.filter(pk=attempt.pk, status=WrittenAttempt.Status.OPEN)
               .update(token_hash=_token_hash(token, session_key)))
    return token if updated else ""


def forget_tokens(sender=None, request=None, user=None, **kwargs):
    """At logout (user_logged_out): the person's open test pages no longer save anything."""
    if user is not None and user.pk is not None:
        WrittenAttempt.objects.filter(case__candidate_id=user.pk, status=WrittenAttempt.Status.OPEN) \
            .exclude(token_hash="").update(token_hash="")


class StaleToken(NotAllowed):
    """The page saving the answer is not the candidate's latest test page (or they logged out): reload it."""


class Saved(NamedTuple):
    """What an autosave reports: when it saved, the attempt's deadline, and whose answer it was (the request's
    log line names the candidate, who was not loaded)."""

    saved_at: dt.datetime
    deadline: dt.datetime
    candidate_id: int


def autosave(case_id, actor, *, item_id, choice=None, text=None, token=None, session_key=None, now=None):
    """save_answer for the case with id `case_id`, as the answer endpoint calls it at each tap or pause in
    typing, all candidates of a room at once (bench/bench_written_test.py). When all is well it runs a single
    statement: the UPDATE of the answer row, which matches only while the attempt is open, before its deadline
    and for its own candidate — the guarantees live in that statement, so an answer racing the submission or
    the deadline is refused, never saved after it. What it needs besides (the attempt's id and deadline, the
    item's number of options) never changes once made and is kept in the cache (`_attempt_facts`,
    `_option_count`).

    With `token` (the endpoint: the token of the test page, `session_key` the request's session cookie) the
    candidate is the holder of the attempt's token (see above) and `actor` — the request's lazy user — is not
    even loaded while all is well; without it (services, the demo), `actor` must be the attempt's candidate.
    Anything else takes the full checks, which say what is wrong: NotAllowed (not their test; StaleToken: the
    page's token is no longer valid), WorkflowError (not started, submitted, past the deadline, not a question
    of the test, a bad answer). Returns Saved(saved_at, deadline, candidate_id)."""
    now = now or timezone.now()
    by_token = token is not None
    facts = _attempt_facts(case_id)
    try:
        fields, bad = _answer_fields(item_id, choice, text, now), None
    except WorkflowError as exc:  # said once the person is known to be the candidate
        fields, bad = None, exc
    if facts is not None and fields is not None:
        if by_token:
            if token and _update_answer(facts[0], item_id, fields, now, token_hash=_token_hash(token, session_key)):
                return Saved(now, facts[2], facts[1])
        elif facts[1] == getattr(actor, "pk", None) and _update_answer(facts[0], item_id, fields, now,
                                                                        candidate_id=facts[1]):
            return Saved(now, facts[2], facts[1])
    # The slow path: everything checked in turn, to say what is wrong.
    # The newest attempt is the current round's (rounds.py: an earlier round's attempt stays, submitted).
    attempt = WrittenAttempt.objects.filter(case_id=case_id).order_by("-pk").first() if by_token else None
    holder = bool(attempt is not None and token and attempt.token_hash
                  and hmac.compare_digest(attempt.token_hash, _token_hash(token, session_key)))
    if not holder:  # the person, loaded now, must be the candidate
        if by_token and not getattr(actor, "is_authenticated", False):
            raise StaleToken(_("Sesi Anda sudah berakhir. Muat ulang halaman dan masuk lagi; jawaban yang sudah "
                               "tersimpan tetap ada."))
        attempt = _own_open_attempt(get_case(case_id), actor)  # raises: not their test, or not started
    if facts is None or facts[0] != attempt.pk:
        cache.delete(_ATTEMPT_KEY % case_id)  # the cache was behind (e.g. a new round's attempt)
    if attempt.status == WrittenAttempt.Status.SUBMITTED:
        raise WorkflowError(_("Tes tertulis sudah dikumpulkan; jawaban tidak dapat diubah lagi."))
    if is_expired(attempt, now):
        close_if_expired(attempt, now=now)
        raise WorkflowError(_("Waktu tes tertulis sudah habis; jawaban tidak disimpan. Jawaban yang tersimpan "
                              "sebelumnya sudah dikumpulkan."))
    if by_token and not holder:
        raise StaleToken(_("Halaman tes ini sudah tidak berlaku (tes dibuka lagi di tab atau perangkat lain, atau "
                           "Anda sudah keluar). Muat ulang halaman; jawaban yang sudah tersimpan tetap ada."))
    if bad is not None:
        raise bad
    guard = {"token_hash": attempt.token_hash} if by_token else {"candidate_id": actor.pk}
    if _update_answer(attempt.pk, item_id, fields, now, **guard):
        return Saved(now, attempt.deadline, attempt.case.candidate_id if holder else actor.pk)
    raise WorkflowError(_("Soal ini bukan bagian dari tes tertulis Anda."))


_ATTEMPT_KEY = "written-test:attempt:%s"
_OPTIONS_KEY = "written-test:options:%s"


def _attempt_facts(case_id, *, fresh=False):
    """(attempt id, candidate id, deadline) of the case's written test, or None before it starts. start_test
    sets them once and nothing changes them (the status, which does change, is not among them), so they are
    cached until the deadline has passed."""
    facts = None if fresh else cache.get(_ATTEMPT_KEY % case_id)
    if facts is None:
        # The newest attempt is the current round's (rounds.py: an earlier round's attempt stays, submitted).
        facts = (WrittenAttempt.objects.filter(case_id=case_id).order_by("-pk")
                 .values_list("pk", "case__candidate_id", "deadline").first())
        if facts is not None:
            cache.set(_ATTEMPT_KEY % case_id, facts, timeout=seconds_until(facts[2]) + 60)
    return facts


def _option_count(item_id):
    """How many options the multiple-choice item has (0 for any other item). A written test holds only items of
    validated versions, which are never changed (instruments.is_frozen): their count is cached."""
    n = cache.get(_OPTIONS_KEY % item_id)
    if n is None:
        row = (InstrumentItem.objects.filter(pk=item_id)
               .values_list("payload__options", "version__status").first())
        options, status = row if row else (None, None)
        n = len(options) if isinstance(options, list) else 0
        if status == InstrumentVersion.Status.VALIDATED:
            cache.set(_OPTIONS_KEY % item_id, n, timeout=24 * 3600)
    return n


def _answer_fields(item_id, choice, text, now):
    fields = {"saved_at": now}
    if choice is not None:
        try:
            choice = int(choice)
        except (TypeError, ValueError):
            raise WorkflowError(_("Pilihan jawaban tidak dikenal.")) from None
        if not 0 <= choice < _option_count(item_id):
            raise WorkflowError(_("Pilihan jawaban tidak dikenal."))
        fields["choice"] = choice
    if text is not None:
        if len(text) > MAX_ESSAY_CHARS:
            raise WorkflowError(_("Jawaban terlalu panjang (paling banyak %(n)s karakter).") % {"n": MAX_ESSAY_CHARS})
        fields["text"] = text
    if len(fields) == 1:
        raise WorkflowError(_("Jawaban kosong tidak disimpan."))
    return fields


def _update_answer(attempt_id, item_id, fields, now, *, candidate_id=None, token_hash=None):
    """The one statement of an autosave: True when it saved the answer. It matches only while the attempt is
    open and before its deadline, and only for the attempt's candidate (`candidate_id`) or for the holder of its
    current token (`token_hash`, see issue_token). Written out in SQL (standard, for PostgreSQL and SQLite alike)
    because the ORM spent more time building it than the database running it."""
    answer, attempt = WrittenAnswer._meta, WrittenAttempt._meta
    ops = connection.ops
    sets = ", ".join(f"{ops.quote_name(answer.get_field(f).column)} = %s" for f in fields)
    values = [ops.adapt_datetimefield_value(v) if f == "saved_at" else v for f, v in fields.items()]
    if token_hash:
        who, whom = "a.token_hash = %s", token_hash
    elif candidate_id is not None:
        case = attempt.get_field("case").related_model._meta
        who, whom = (f"a.case_id IN (SELECT c.id FROM {ops.quote_name(case.db_table)} c WHERE c.candidate_id = %s)",
                     candidate_id)
    else:
        return False
    sql = (f"UPDATE {ops.quote_name(answer.db_table)} SET {sets} WHERE attempt_id = %s AND item_id = %s AND EXISTS "
           f"(SELECT 1 FROM {ops.quote_name(attempt.db_table)} a WHERE a.id = %s AND a.status = %s AND "
           f"a.deadline > %s AND {who})")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, attempt_id, item_id, attempt_id, WrittenAttempt.Status.OPEN.value,
                             ops.adapt_datetimefield_value(now), whom])
        return cursor.rowcount == 1


def _score(attempt):
    """Score the multiple-choice answers of `attempt` (inside its transaction)."""
    answers = list(attempt.answers.select_related("item__version__instrument"))
    mc = [a for a in answers if a.item.version.instrument.form == "IA.05"]
    for a in mc:
        a.correct = a.choice is not None and a.choice == a.item.payload.get("key")
    WrittenAnswer.objects.bulk_update(mc, ["correct"])
    attempt.mc_correct = sum(1 for a in mc if a.correct)
    attempt.mc_total = len(mc)


def submit_test(case, actor, *, now=None):
    """The candidate: submits the test (before the deadline). Multiple choice is scored now."""
    attempt = _own_open_attempt(case, actor)
    if attempt.status == WrittenAttempt.Status.SUBMITTED:
        raise WorkflowError(_("Tes tertulis sudah dikumpulkan."))
    now = now or timezone.now()
    if is_expired(attempt, now):
        close_if_expired(attempt, now=now)
        return attempt_of(case)
    with transition(case, "submit_written_test", actor) as c:
        locked = WrittenAttempt.objects.select_for_update().get(case=c, round=attempt.round)
        if locked.status == WrittenAttempt.Status.SUBMITTED:
            raise WorkflowError(_("Tes tertulis sudah dikumpulkan."))
        locked.status, locked.submitted_at, locked.token_hash = WrittenAttempt.Status.SUBMITTED, now, ""
        _score(locked)
        locked.save()
    _tell_assessor(case)
    return locked


def close_if_expired(attempt, *, now=None):
    """Submit an open attempt whose deadline has passed (the system does it; no person acts). Returns True
    when it closed it now."""
    now = now or timezone.now()
    if attempt.status != WrittenAttempt.Status.OPEN or not is_expired(attempt, now):
        return False
    with transaction.atomic():
        locked = WrittenAttempt.objects.select_for_update().select_related("case").get(pk=attempt.pk)
        if locked.status != WrittenAttempt.Status.OPEN:
            return False
        locked.status, locked.submitted_at, locked.auto_submitted = (WrittenAttempt.Status.SUBMITTED,
                                                                     locked.deadline, True)
        locked.token_hash = ""
        _score(locked)
        locked.save()
        log_action(None, "close_written_test", locked.case, data={"deadline": locked.deadline.isoformat()},
                   status_before=locked.case.status, status_after=locked.case.status)
    attempt.refresh_from_db()
    _tell_assessor(locked.case)
    return True


def close_expired(now=None):
    """Close every open attempt past its deadline (manage.py close_written_tests). Returns how many."""
    now = now or timezone.now()
    return sum(close_if_expired(a, now=now) for a in
               WrittenAttempt.objects.filter(status=WrittenAttempt.Status.OPEN, deadline__lte=now))


def _tell_assessor(case):
    from kompeten.core.notify import lazy_text, notify

    if case.assessor_id and not nothing_to_mark(case):
        notify([case.assessor.user], lazy_text(_("Jawaban esai %(number)s menunggu dinilai"), number=case.number),
               url=case.get_absolute_url(), about=case, asks=("mark_written_test",))


def mark_essay(case, actor, *, answer_id, mark, note=""):
    """The case's assessor: marks one essay answer K/BK against the model answer, with a note. Marking again
    (before the FR.AK.02 record) replaces the mark; each marking is logged."""
    if mark not in KBK.values:
        raise WorkflowError(_("Pilih K atau BK untuk jawaban ini."), field_errors={"mark": [_("Pilih K atau BK.")]})
    with transition(case, "mark_written_test", actor, data={"answer": answer_id, "mark": mark}) as c:
        ans = (WrittenAnswer.objects.select_for_update().select_related("attempt", "item__version__instrument")
               .filter(pk=answer_id, attempt__case=c, attempt__round=current_round(c)).first())
        if ans is None or ans.item.version.instrument.form != "IA.06":
            raise WorkflowError(_("Jawaban esai ini bukan bagian dari tes tertulis asesi ini."))
        if ans.attempt.status != WrittenAttempt.Status.SUBMITTED:
            raise WorkflowError(_("Jawaban esai baru dapat dinilai setelah tes tertulis dikumpulkan."))
        ans.mark, ans.note = mark, (note or "").strip()
        ans.marked_by, ans.marked_at = actor, timezone.now()
        ans.save(update_fields=["mark", "note", "marked_by", "marked_at"])
    return ans


# --- what the assessor sees and what the roll-up reads ----------------------------------------------------


def marking_rows(attempt):
    """For the assessor: every answer in the candidate's order with the key / model answer beside it."""
    answers = {a.item_id: a for a in attempt.answers.select_related("item__version__instrument", "marked_by")}
    rows = []
    for n, pk in enumerate(attempt.order, 1):
        a = answers[pk]
        item = a.item
        row = {"n": n, "answer": a, "item": item, "form": item.version.instrument.form,
               "criteria": list(item.criteria.select_related("element__unit"))}
        if row["form"] == "IA.05":
            opts = item.payload.get("options") or []
            row["chosen"] = (f"{I.LETTERS[a.choice]}. {opts[a.choice]}" if a.choice is not None and
                             0 <= a.choice < len(opts) else "")
            row["key"] = f"{I.key_letter(item)}. {opts[item.payload['key']]}"
        else:
            row["model"] = item.payload.get("answer", "")
        rows.append(row)
    return rows


def version_state(case, version, round=None):
    """(done, total) of the case's IA.05 or IA.06 version in `round` (default: the current one), for the
    assessor's page of the day (observation.state_of): a multiple-choice question is done when answered, and all
    of them once the test is submitted (an unanswered one then scores wrong); an essay is done once the assessor
    has marked it."""
    total = version.items.count()
    attempt = attempt_of(case, round)
    if attempt is None:
        return 0, total
    answers = WrittenAnswer.objects.filter(attempt=attempt, item__version=version)
    if version.instrument.form == "IA.06":
        return answers.exclude(mark="").count(), total
    if attempt.status == WrittenAttempt.Status.SUBMITTED:
        return total, total
    return answers.exclude(saved_at=None).count(), total


def may_mark(case, user):
    return Role.ASSESSOR in roles_for(user, case)


def written_results(case):
    """The written test's result per KUK, for the roll-up: {criterion_id: "K" | "BK" | None}, for every KUK the
    test's questions cover. None while the test is not submitted, or while an essay covering the KUK is unmarked.
    Rule: a KUK is K when at least MC_PASS_SHARE (75%) of its multiple-choice items were answered correctly and
    every essay covering it is marked K; otherwise BK. A KUK covered only by essays follows the essays; one covered
    only by multiple choice follows the share. An empty dict when the candidate has no written test."""
    attempt = attempt_of(case)
    if attempt is None:
        return {}
    through = InstrumentItem.criteria.through.objects.filter(instrumentitem_id__in=attempt.order)
    covers = {}
    for item_id, cid in through.values_list("instrumentitem_id", "criterion_id"):
        covers.setdefault(cid, []).append(item_id)
    if attempt.status != WrittenAttempt.Status.SUBMITTED:
        return dict.fromkeys(covers)
    answers = {a.item_id: a for a in attempt.answers.select_related("item__version__instrument")}
    out = {}
    for cid, item_ids in covers.items():
        mc = [answers[i] for i in item_ids if answers[i].item.version.instrument.form == "IA.05"]
        essays = [answers[i] for i in item_ids if answers[i].item.version.instrument.form == "IA.06"]
        if any(not e.mark for e in essays):
            out[cid] = None
            continue
        ok = all(e.mark == KBK.K for e in essays)
        if mc:
            ok = ok and sum(1 for a in mc if a.correct) >= MC_PASS_SHARE * len(mc)
        out[cid] = KBK.K.value if ok else KBK.BK.value
    return out


def score_matrix(version):
    """For item analysis: (items, rows) of the submitted attempts that used this IA.05 version, rows being one
    list of 0/1 per candidate in item order."""
    items = list(version.items.order_by("order", "id"))
    ids = [i.pk for i in items]
    rows = {}
    for attempt_id, item_id, correct in (WrittenAnswer.objects.filter(
            item_id__in=ids, attempt__status=WrittenAttempt.Status.SUBMITTED)
            .values_list("attempt_id", "item_id", "correct")):
        rows.setdefault(attempt_id, {})[item_id] = 1 if correct else 0
    return items, [[r.get(pk, 0) for pk in ids] for r in rows.values()]


FLAG_LABELS = {"difficulty_low": _("terlalu sukar (p < 0,30)"), "difficulty_high": _("terlalu mudah (p > 0,90)"),
               "discrimination": _("daya beda rendah (D < 0,20)")}


def flagged_items(version):
    """The items of an IA.05 version that item analysis flags for review (item_analysis.py), for the FR.VA and
    FR.AK.06 reviews: {"version", "source", "n", "items": [{"order", "text", "p", "d", "flags": [label]}]}.
    When this version has not been taken yet, the analysis of the version it was made from (items matched by
    their number), so the validation of a new version sees why its predecessor's items were flagged. None when
    no version in that line has been taken."""
    from kompeten.assessment import item_analysis

    if version.instrument.form != "IA.05":
        return None
    source, seen = version, set()
    while source is not None and source.pk not in seen:
        seen.add(source.pk)
        items, rows = score_matrix(source)
        result = item_analysis.analyse(rows)
        if result is not None:
            break
        source = source.based_on
    else:
        return None
    flagged = [{"order": item.order, "text": item.text, "p": a["p"], "d": a["d"],
                "flags": [str(FLAG_LABELS[f]) for f in a["flags"]]}
               for item, a in zip(items, result["items"], strict=True) if a["flags"]]
    return {"version": version, "source": source, "n": result["n"], "items": flagged}
