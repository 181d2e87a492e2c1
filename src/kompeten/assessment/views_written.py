"""Screens of the written test (S3.2): the candidate's test page with autosave and a server-kept countdown, the
assessor's marking page (answer | key or model answer | K/BK + note). Thin: parse, call written_test.py.

The candidate's page and JSON responses are built only from `written_test.candidate_questions` (no key)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY as AUTH_SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kompeten.assessment import written_test as WT
from kompeten.assessment.models import WrittenAttempt
from kompeten.cases.selectors import get_case
from kompeten.cases.workflow import check, roles_for
from kompeten.core.dates import format_datetime
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.middleware import name_in_log, touch_session
from kompeten.core.models import Role
from kompeten.core.sessionless import sessionless


def _case(pk):
    return get_case(pk, "assessor__user", "event__site")


def _trail(case, label):
    return [(_("Permohonan"), None), (case.number, case.get_absolute_url()), (label, None)]


@login_required
def take(request, pk):
    """The candidate's written test: start (POST), the test while open, a closing page once submitted."""
    case = _case(pk)
    if case.candidate_id != request.user.pk:
        if roles_for(request.user, case) & {Role.ASSESSOR, Role.ADMIN, Role.LEAD_ASSESSOR}:
            return redirect("assessment:written_mark", case.pk)
        raise NotAllowed(_("Tes tertulis ini hanya dapat dikerjakan oleh asesinya sendiri."))
    attempt = WT.attempt_of(case)
    if attempt is None:
        check(request.user, case, "take_written_test")
        versions = WT.written_versions(case)
        if request.method == "POST":
            WT.start_test(case, request.user)
            return redirect("assessment:written_take", case.pk)
        return render(request, "assessment/written/start.html", {
            "title": _("Tes tertulis"), "trail": _trail(case, _("Tes tertulis")), "case": case,
            "lead": _("Baca petunjuk, lalu mulai. Waktu berjalan sejak Anda menekan Mulai."),
            "versions": versions, "minutes": WT.duration_minutes(versions), "extra": WT.extra_minutes(case)})
    WT.close_if_expired(attempt)
    if attempt.status == WrittenAttempt.Status.SUBMITTED:
        return render(request, "assessment/written/done.html", {
            "title": _("Tes tertulis"), "trail": _trail(case, _("Tes tertulis")), "case": case, "attempt": attempt,
            "lead": _("Tes tertulis Anda sudah dikumpulkan. Asesor akan menilai jawaban esai."),
            "answered": attempt.answers.exclude(saved_at=None).count()})
    questions = WT.candidate_questions(attempt)
    return render(request, "assessment/written/take.html", {
        # a new token for this page's answers (the page opened before stops saving: written_test.issue_token)
        "token": WT.issue_token(attempt, request.session.session_key),
        "token_header": WT.TOKEN_HEADER, "touch_seconds": settings.SESSION_TOUCH_SECONDS,
        "title": _("Tes tertulis"), "trail": _trail(case, _("Tes tertulis")), "case": case, "attempt": attempt,
        "lead": _("Setiap jawaban tersimpan otomatis begitu Anda memilih atau mengetik. Bila halaman tertutup, buka "
                  "lagi: waktu tetap berjalan dan jawaban Anda tetap ada."),
        "questions": questions, "seconds_left": WT.seconds_left(attempt), "letters": "abcde",
        "mc": [q for q in questions if q["form"] == "IA.05"], "essays": [q for q in questions if q["form"] == "IA.06"]})


@sessionless
@require_POST
def answer(request, pk):
    """Autosave of one answer (fetch): JSON {"ok", "saved_at", "seconds_left"} or {"ok": false, "error"} (with
    "closed" once the test is over, "reload" when the page's token no longer holds).
    Called by every candidate of a room at each tap: @sessionless, it is authenticated by the test page's token
    (X-Attempt-Token, bound to the session cookie; written_test.py says why that is safe) and, while all is
    well, runs the one UPDATE of written_test.autosave and nothing else. The CSRF check stays. With "touch" the
    page asks, every few minutes, that the session be kept alive (core.middleware.touch_session)."""
    item = request.POST.get("item", "")
    if not item.isdigit():
        return JsonResponse({"ok": False, "error": gettext("Soal tidak dikenal.")}, status=400)
    try:
        saved = WT.autosave(pk, request.user, item_id=int(item), choice=request.POST.get("choice"),
                            text=request.POST.get("text"),
                            token=request.headers.get(WT.TOKEN_HEADER, ""),
                            session_key=request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""))
    except WT.StaleToken as exc:
        return JsonResponse({"ok": False, "error": str(exc.message), "reload": True}, status=403)
    except NotAllowed as exc:
        return JsonResponse({"ok": False, "error": str(exc.message)}, status=403)
    except WorkflowError as exc:
        closed = WrittenAttempt.objects.filter(case_id=pk, status=WrittenAttempt.Status.SUBMITTED).exists()
        return JsonResponse({"ok": False, "error": str(exc.message), "closed": closed}, status=409)
    name_in_log(request, saved.candidate_id)  # the candidate, known without loading them
    if request.POST.get("touch") and request.session.get(AUTH_SESSION_KEY):  # the token's session, logged in
        touch_session(request)
    return JsonResponse({"ok": True, "saved_at": format_datetime(saved.saved_at),
                         "seconds_left": WT.seconds_until(saved.deadline)})


@login_required
@require_POST
def submit(request, pk):
    case = _case(pk)
    attempt = WT.submit_test(case, request.user)
    if attempt.auto_submitted:
        messages.warning(request, _("Waktu sudah habis; tes tertulis dikumpulkan otomatis dengan jawaban yang "
                                    "tersimpan."))
    else:
        messages.success(request, _("Tes tertulis dikumpulkan."))
    return redirect("assessment:written_take", case.pk)


@login_required
def mark(request, pk):
    """The assessor (and staff, read-only): every answer beside its key or model answer; essays marked K/BK."""
    case = _case(pk)
    mine = roles_for(request.user, case)
    if not mine & {Role.ASSESSOR, Role.ADMIN, Role.LEAD_ASSESSOR, Role.LSP_HEAD, Role.COMMITTEE}:
        raise NotAllowed(_("Penilaian tes tertulis hanya dapat dibuka oleh asesor asesi ini dan staf LSP."))
    attempt = WT.attempt_of(case)
    if request.method == "POST":
        try:
            WT.mark_essay(case, request.user, answer_id=request.POST.get("answer"), mark=request.POST.get("mark"),
                          note=request.POST.get("note", ""))
        except WorkflowError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Penilaian esai tersimpan."))
        return redirect(reverse("assessment:written_mark", args=[case.pk]) + f"#a{request.POST.get('answer', '')}")
    if attempt:
        WT.close_if_expired(attempt)
    rows = WT.marking_rows(attempt) if attempt else []
    return render(request, "assessment/written/mark.html", {
        "title": _("Penilaian tes tertulis"), "trail": _trail(case, _("Penilaian tes tertulis")), "case": case,
        "lead": _("Jawaban asesi di samping kunci jawaban. Nilai setiap jawaban esai K atau BK dengan catatan."),
        "attempt": attempt, "mc": [r for r in rows if r["form"] == "IA.05"],
        "essays": [r for r in rows if r["form"] == "IA.06"], "can_mark": Role.ASSESSOR in mine,
        "results": _kuk_results(case, rows),
        # the answer sheets of this attempt (FR.IA.05C/06C) as printed
        "sheets": [(v.instrument.form, reverse("assessment:case_instrument_pdf", args=[case.pk, v.pk, attempt.round]))
                   for v in attempt.versions.select_related("instrument").order_by("instrument__form")]
        if attempt else []})


def _kuk_results(case, rows):
    criteria = {c.pk: c for r in rows for c in r["criteria"]}
    return [(criteria[cid], value) for cid, value in sorted(WT.written_results(case).items(),
                                                            key=lambda kv: (criteria[kv[0]].element.unit.code,
                                                                            criteria[kv[0]].number))]
