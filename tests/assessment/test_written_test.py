"""The written test (FR.IA.05/IA.06, S3.2): server-kept deadline, autosave, scoring, essay marking, per-KUK
results, keys never to the candidate, wrong role or status refused with nothing changed."""

import datetime as dt
import json
import re

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kompeten.assessment import instruments as I
from kompeten.assessment import written_test as WT
from kompeten.assessment.models import Adjustment, AssessmentPlan, WrittenAnswer, WrittenAttempt
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog
from tests.conftest import make_user
from tests.pdftext import pdf_text


@pytest.fixture
def plan(event, muk, assessor):
    """An approved plan whose versions include the scheme's validated IA.05 and IA.06."""
    p = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    p.instrument_versions.set(muk)
    return p


@pytest.fixture
def case(make_case, plan):
    return make_case("in_assessment")


def _page_token(client, case):
    """What the candidate's test page gives its script: the token each save carries (X-Attempt-Token)."""
    page = client.get(reverse("assessment:written_take", args=[case.pk])).content.decode()
    return re.search(r'data-token="([^"]+)"', page).group(1)


def _answer(client, case, token, **data):
    """A save as the page's script sends it: the token in its header (CSRF is not enforced by the test client)."""
    return client.post(reverse("assessment:written_answer", args=[case.pk]), data, HTTP_X_ATTEMPT_TOKEN=token)


def _versions(case):
    return {v.instrument.form: v for v in WT.written_versions(case)}


def _mc_items(case):
    return list(_versions(case)["IA.05"].items.all())


def _essays(case):
    return list(_versions(case)["IA.06"].items.all())


def test_start_makes_one_attempt_with_a_stored_shuffled_order(case, candidate):
    versions = _versions(case)
    assert set(versions) == {"IA.05", "IA.06"}
    a = WT.start_test(case, candidate)
    mc = [i.pk for i in _mc_items(case)]
    essays = [i.pk for i in _essays(case)]
    assert sorted(a.order[:len(mc)]) == sorted(mc) and sorted(a.order[len(mc):]) == sorted(essays)
    assert a.order[:len(mc)] != mc  # shuffled (41 items: the chance of the same order is nil)
    assert a.answers.count() == len(mc) + len(essays)
    assert a.minutes == 2 * WT.DEFAULT_MINUTES and a.deadline == a.started_at + dt.timedelta(minutes=a.minutes)
    again = WT.start_test(case, candidate)  # a reload resumes, same order and deadline
    assert (again.pk, again.order, again.deadline) == (a.pk, a.order, a.deadline)
    assert WrittenAttempt.objects.count() == 1


def test_duration_from_version_content(case, candidate):
    v = _versions(case)["IA.05"]
    v.content = {"minutes": 45}
    v.save()
    assert WT.start_test(case, candidate).minutes == 45 + WT.DEFAULT_MINUTES


def test_resume_after_reload_shows_the_time_left_kept_by_the_server(case, candidate, client):
    client.force_login(candidate)
    url = reverse("assessment:written_take", args=[case.pk])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert client.post(url).status_code == 302
        first = client.get(url)
        assert first.context["seconds_left"] == 120 * 60
    with time_machine.travel(start + dt.timedelta(minutes=50), tick=False):
        page = client.get(url)  # the tab was closed and opened again
        assert page.context["seconds_left"] == 70 * 60
        assert f'data-seconds-left="{70 * 60}"' in page.content.decode()


def test_ak07_extra_time_is_added_to_the_deadline(case, candidate, assessor):
    Adjustment.objects.create(case=case, potensi=["1"], characteristics=[], results={"extra_minutes": 30},
                              recorded_by=assessor.user)
    a = WT.start_test(case, candidate)
    assert a.extra_minutes == 30
    assert a.deadline == a.started_at + dt.timedelta(minutes=a.minutes + 30)


def test_ak07_form_records_extra_minutes(make_case, assessor, candidate):
    from kompeten.assessment import services

    c = make_case("agreed")
    rows = [{"needed": False} for _ in range(8)]
    services.record_adjustment(c, assessor.user, data={"potensi": ["1"], "characteristics": rows, "results": {},
                                                       "extra_minutes": 20})
    assert WT.extra_minutes(c) == 20
    with pytest.raises(WorkflowError):
        services.record_adjustment(c, assessor.user, data={"potensi": ["1"], "characteristics": rows,
                                                           "results": {}, "extra_minutes": 999})
    assert WT.extra_minutes(c) == 20


def test_autosave_is_idempotent_and_says_tersimpan(case, candidate, client):
    client.force_login(candidate)
    WT.start_test(case, candidate)
    token = _page_token(client, case)
    item = _mc_items(case)[0]
    for _ in range(2):
        r = _answer(client, case, token, item=item.pk, choice=2)
        assert r.status_code == 200 and r.json()["ok"] is True
    assert WrittenAnswer.objects.filter(item=item).count() == 1
    assert WrittenAnswer.objects.get(item=item).choice == 2
    essay = _essays(case)[0]
    _answer(client, case, token, item=essay.pk, text="Jawaban pertama")
    _answer(client, case, token, item=essay.pk, text="Jawaban kedua")
    assert WrittenAnswer.objects.get(item=essay).text == "Jawaban kedua"
    page = client.get(reverse("assessment:written_take", args=[case.pk])).content.decode()
    assert "tersimpan" in page and "Jawaban kedua" in page


def test_bad_answers_refused_with_a_message(case, candidate, client):
    client.force_login(candidate)
    WT.start_test(case, candidate)
    token = _page_token(client, case)
    item = _mc_items(case)[0]
    assert _answer(client, case, token, item="x").status_code == 400
    r = _answer(client, case, token, item=item.pk, choice=9)
    assert r.status_code == 409 and "tidak dikenal" in r.json()["error"]
    assert WrittenAnswer.objects.get(item=item).choice is None
    other = I.latest_version(next(i for i in I.instruments_of(case.scheme) if i.form == "IA.07")).items.first()
    r = _answer(client, case, token, item=other.pk, text="x")
    assert r.status_code == 409 and "bukan bagian" in r.json()["error"]


def test_answers_refused_after_the_deadline_and_the_test_closed(case, candidate, client):
    client.force_login(candidate)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        WT.start_test(case, candidate)
        token = _page_token(client, case)
    item = _mc_items(case)[0]
    with time_machine.travel(start + dt.timedelta(minutes=119), tick=False):
        assert _answer(client, case, token, item=item.pk, choice=item.payload["key"]).json()["ok"]
    with time_machine.travel(start + dt.timedelta(minutes=120, seconds=1), tick=False):
        r = _answer(client, case, token, item=item.pk, choice=(item.payload["key"] + 1) % 3)
        assert r.status_code == 409
        body = r.json()
        assert body["closed"] is True and "Waktu tes tertulis sudah habis" in body["error"]
    a = WrittenAttempt.objects.get(case=case)
    assert a.status == "submitted" and a.auto_submitted and a.submitted_at == a.deadline
    assert WrittenAnswer.objects.get(attempt=a, item=item).choice == item.payload["key"]  # the late one not saved
    assert a.mc_correct == 1 and a.mc_total == len(_mc_items(case))
    assert ActionLog.objects.filter(act="close_written_test", object_id=case.pk).count() == 1


def test_extra_time_lets_answers_in_after_the_normal_deadline(case, candidate, assessor):
    Adjustment.objects.create(case=case, potensi=["1"], characteristics=[], results={"extra_minutes": 15},
                              recorded_by=assessor.user)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        WT.start_test(case, candidate)
    item = _mc_items(case)[0]
    with time_machine.travel(start + dt.timedelta(minutes=130), tick=False):
        WT.save_answer(case, candidate, item_id=item.pk, choice=0)
    with time_machine.travel(start + dt.timedelta(minutes=136), tick=False), pytest.raises(WorkflowError):
        WT.save_answer(case, candidate, item_id=item.pk, choice=1)
    assert WrittenAnswer.objects.get(item=item).choice == 0


def test_management_command_closes_expired_attempts(case, candidate):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        WT.start_test(case, candidate)
    with time_machine.travel(start + dt.timedelta(minutes=60), tick=False):
        call_command("close_written_tests")
        assert WrittenAttempt.objects.get(case=case).status == "open"
    with time_machine.travel(start + dt.timedelta(minutes=121), tick=False):
        call_command("close_written_tests")
    assert WrittenAttempt.objects.get(case=case).status == "submitted"


def test_multiple_choice_scored_at_submission(case, candidate, client):
    client.force_login(candidate)
    WT.start_test(case, candidate)
    items = _mc_items(case)
    for n, item in enumerate(items[:10]):
        key = item.payload["key"]
        WT.save_answer(case, candidate, item_id=item.pk, choice=key if n < 7 else (key + 1) % len(item.payload["options"]))
    assert WrittenAnswer.objects.filter(correct__isnull=False).count() == 0
    r = client.post(reverse("assessment:written_submit", args=[case.pk]))
    assert r.status_code == 302
    a = WrittenAttempt.objects.get(case=case)
    assert a.status == "submitted" and not a.auto_submitted
    assert (a.mc_correct, a.mc_total) == (7, len(items))
    assert WrittenAnswer.objects.filter(attempt=a, correct=True).count() == 7
    assert WrittenAnswer.objects.filter(attempt=a, correct=False).count() == len(items) - 7
    with pytest.raises(WorkflowError):
        WT.save_answer(case, candidate, item_id=items[0].pk, choice=0)  # submitted: no more changes
    with pytest.raises(WorkflowError):
        WT.submit_test(case, candidate)


def test_essay_marking_side_by_side_and_per_kuk_results(case, candidate, assessor, client):
    WT.start_test(case, candidate)
    for item in _mc_items(case):
        WT.save_answer(case, candidate, item_id=item.pk, choice=item.payload["key"])
    essays = _essays(case)
    WT.save_answer(case, candidate, item_id=essays[0].pk, text="HTML memberi struktur, CSS memberi tampilan.")
    results = WT.written_results(case)
    assert results and set(results.values()) == {None}  # not submitted yet
    WT.submit_test(case, candidate)
    client.force_login(assessor.user)
    page = client.get(reverse("assessment:written_mark", args=[case.pk])).content.decode()
    assert "HTML memberi struktur" in page and I.key_strings(essays[0])[0][:40] in page
    answers = {a.item_id: a for a in WrittenAnswer.objects.filter(attempt__case=case)}
    essay_kuk = {c.pk for e in essays for c in e.criteria.all()}
    assert all(WT.written_results(case)[cid] is None for cid in essay_kuk)  # essays unmarked
    for n, e in enumerate(essays):
        r = client.post(reverse("assessment:written_mark", args=[case.pk]),
                        {"answer": answers[e.pk].pk, "mark": "BK" if n == 0 else "K", "note": "Catatan"})
        assert r.status_code == 302
    marked = WrittenAnswer.objects.get(pk=answers[essays[0].pk].pk)
    assert (marked.mark, marked.note, marked.marked_by) == ("BK", "Catatan", assessor.user)
    results = WT.written_results(case)
    for cid in {c.pk for c in essays[0].criteria.all()}:
        assert results[cid] == "BK"
    only_mc = {c.pk for i in _mc_items(case) for c in i.criteria.all()} - essay_kuk
    assert only_mc and all(results[cid] == "K" for cid in only_mc)  # every MC item right
    assert ActionLog.objects.filter(act="mark_written_test", object_id=case.pk).count() == len(essays)


def test_mc_share_rule_per_kuk(case, candidate):
    WT.start_test(case, candidate)
    WT.submit_test(case, candidate)  # nothing answered: every MC-only KUK is BK
    essay_kuk = {c.pk for e in _essays(case) for c in e.criteria.all()}
    results = WT.written_results(case)
    assert {v for cid, v in results.items() if cid not in essay_kuk} == {"BK"}


def test_wrong_role_and_status_refused_with_nothing_changed(case, make_case, candidate, assessor, client):
    stranger = make_user("orang-lain", "candidate")
    with pytest.raises(NotAllowed):
        WT.start_test(case, stranger)
    with pytest.raises(NotAllowed):
        WT.start_test(case, assessor.user)
    early = make_case("ready")
    with pytest.raises(WorkflowError):
        WT.start_test(early, candidate)
    assert WrittenAttempt.objects.count() == 0
    a = WT.start_test(case, candidate)
    item = _mc_items(case)[0]
    with pytest.raises(NotAllowed):
        WT.save_answer(case, stranger, item_id=item.pk, choice=0)
    client.force_login(stranger)
    r = _answer(client, case, "", item=item.pk, choice=0)
    assert r.status_code == 403 and "asesinya sendiri" in r.json()["error"]
    assert client.get(reverse("assessment:written_take", args=[case.pk])).status_code == 403
    assert client.get(reverse("assessment:written_mark", args=[case.pk])).status_code == 403
    assert WrittenAnswer.objects.get(attempt=a, item=item).choice is None
    ans = WrittenAnswer.objects.get(attempt=a, item=_essays(case)[0])
    with pytest.raises(WorkflowError):  # not submitted yet
        WT.mark_essay(case, assessor.user, answer_id=ans.pk, mark="K")
    WT.submit_test(case, candidate)
    with pytest.raises(NotAllowed):  # the candidate cannot mark
        WT.mark_essay(case, candidate, answer_id=ans.pk, mark="K")
    with pytest.raises(WorkflowError):
        WT.mark_essay(case, assessor.user, answer_id=ans.pk, mark="X")
    mc_answer = WrittenAnswer.objects.get(attempt=a, item=item)
    with pytest.raises(WorkflowError):  # an MC answer is not marked by hand
        WT.mark_essay(case, assessor.user, answer_id=mc_answer.pk, mark="K")
    ans.refresh_from_db()
    assert ans.mark == "" and not ActionLog.objects.filter(act="mark_written_test").exists()


def test_keys_never_reach_the_candidate(case, candidate, client):
    """Every page and JSON answer the candidate gets during and after the test: no key letter-option pair, no
    model answer."""
    client.force_login(candidate)
    take = reverse("assessment:written_take", args=[case.pk])
    pages = [client.get(take).content.decode()]
    client.post(take)
    pages.append(client.get(take).content.decode())
    token = re.search(r'data-token="([^"]+)"', pages[-1]).group(1)
    mc, essays = _mc_items(case), _essays(case)
    for item in mc[:3]:
        r = _answer(client, case, token, item=item.pk, choice=0)
        assert r.json()["ok"]
        pages.append(json.dumps(r.json()))
    client.post(reverse("assessment:written_submit", args=[case.pk]))
    pages.append(client.get(take).content.decode())
    case_page = client.get(case.get_absolute_url()).content.decode()
    pages.append(case_page)
    # The prints the candidate is offered (their answer sheets FR.IA.05C/06C, every round): read back as text.
    prints = re.findall(r'href="(/[^"]*/perangkat/\d+/putaran-\d+\.pdf)"', case_page)
    assert len(prints) == 2
    for url in prints:
        r = client.get(url)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf", url
        pages.append(" ".join(pdf_text(r.content).split()))
    secrets = [" ".join(s.split())[:60] for e in essays for s in I.key_strings(e)]
    assert secrets
    for html in pages:
        for s in secrets:
            assert s not in html
        assert '"key"' not in html and "✓" not in html
    # The question, key and filled-instrument prints are staff only: refused to the candidate, nothing sent.
    from kompeten.assessment import observation as O

    for v in O.plan_versions(case):
        for url in (reverse("assessment:instrument_pdf", args=[v.pk]),
                    reverse("assessment:instrument_key_pdf", args=[v.pk])):
            assert client.get(url).status_code == 403, url
        if v.instrument.form not in ("IA.05", "IA.06"):
            assert client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, v.pk, 1])).status_code == 403
    test_page = pages[1]
    assert all(o in test_page for o in mc[0].payload["options"])  # the options are there, the key is not marked
    for item in mc:
        assert f'value="{item.payload["key"]}" checked' not in test_page
    assert client.get(reverse("assessment:written_mark", args=[case.pk])).status_code == 403


def test_case_page_offers_the_test_to_the_candidate_and_marking_to_the_assessor(case, candidate, assessor, client):
    client.force_login(candidate)
    url = reverse("assessment:written_take", args=[case.pk])
    assert url in client.get(case.get_absolute_url()).content.decode()
    WT.start_test(case, candidate)
    WT.submit_test(case, candidate)
    assert url not in client.get(case.get_absolute_url()).content.decode()
    client.force_login(assessor.user)
    assert reverse("assessment:written_mark", args=[case.pk]) in client.get(case.get_absolute_url()).content.decode()


def test_item_analysis_on_the_version_page(case, make_case, candidate, admin_user, client):
    from kompeten.cases.models import Case

    cases = [case]
    for n in range(4):
        user = make_user(f"peserta{n}", "candidate")
        cases.append(make_case("in_assessment", candidate=user))
    for n, c in enumerate(cases):
        WT.start_test(c, c.candidate)
        for m, item in enumerate(_mc_items(c)):
            right = m % 5 < 5 - n  # candidate n gets a varying share right
            key = item.payload["key"]
            WT.save_answer(c, c.candidate, item_id=item.pk, choice=key if right else (key + 1) % 3)
        WT.submit_test(c, c.candidate)
    assert Case.objects.filter(written_attempts__status="submitted").count() == 5
    client.force_login(admin_user)
    version = _versions(case)["IA.05"]
    page = client.get(reverse("assessment:instrument_version", args=[version.pk]))
    analysis = page.context["analysis"]
    assert analysis["n"] == 5 and analysis["k"] == len(_mc_items(case))
    assert "Analisis butir soal" in page.content.decode() and "KR-20" in page.content.decode()
    ia06 = _versions(case)["IA.06"]
    assert client.get(reverse("assessment:instrument_version", args=[ia06.pk])).context["analysis"] is None


def test_autosave_is_one_statement_when_warm_and_keeps_its_guarantees(case, candidate, client,
                                                                       django_assert_num_queries):
    """The answer endpoint is called by a whole room at each tap (bench/bench_written_test.py): once the
    attempt and the item are known, it runs the one UPDATE and nothing else — no session, no user, no roles
    (it is @sessionless, authenticated by the page's token) — and that UPDATE itself refuses an answer after
    submission, whatever the cache says."""
    client.force_login(candidate)
    WT.start_test(case, candidate)
    token = _page_token(client, case)
    item = _mc_items(case)[0]
    assert _answer(client, case, token, item=item.pk, choice=1).json()["ok"]  # warms the cache
    with django_assert_num_queries(1) as ctx:
        r = _answer(client, case, token, item=item.pk, choice=2)
    assert ctx.captured_queries[0]["sql"].lstrip().upper().startswith("UPDATE")
    body = r.json()
    assert set(body) == {"ok", "saved_at", "seconds_left"} and body["ok"] and 0 < body["seconds_left"] <= 120 * 60
    assert "no-store" in r["Cache-Control"] and "private" in r["Cache-Control"]  # personal, never cached
    assert WrittenAnswer.objects.get(item=item).choice == 2
    WT.submit_test(case, candidate)
    assert WrittenAttempt.objects.get(case=case).token_hash == ""  # submission voids the token
    r = _answer(client, case, token, item=item.pk, choice=0)
    assert r.status_code == 409 and r.json()["closed"] is True
    assert WrittenAnswer.objects.get(item=item).choice == 2


def test_a_saves_log_line_names_the_candidate_without_loading_them(case, candidate, client, caplog,
                                                                     django_assert_num_queries):
    """The request's log line of a save names the candidate (from the attempt the token opened), while the save
    stays one UPDATE: the person is not loaded for it. A refused save is named by whoever its full checks
    loaded: nobody for a stranger."""
    client.force_login(candidate)
    WT.start_test(case, candidate)
    token = _page_token(client, case)
    item = _mc_items(case)[0]
    _answer(client, case, token, item=item.pk, choice=1)  # warms the cache
    caplog.clear()
    with caplog.at_level("INFO", logger="kompeten.request"), django_assert_num_queries(1):
        assert _answer(client, case, token, item=item.pk, choice=2).json()["ok"]
    (line,) = [r for r in caplog.records if r.name == "kompeten.request"]
    assert line.user_id == candidate.pk and line.status == 200
    caplog.clear()
    with caplog.at_level("INFO", logger="kompeten.request"):
        assert _answer(Client(), case, token, item=item.pk, choice=3).status_code == 403  # no session cookie
    (line,) = [r for r in caplog.records if r.name == "kompeten.request"]
    assert line.user_id is None and line.status == 403
    assert WrittenAnswer.objects.get(item=item).choice == 2


def test_a_save_without_the_pages_token_or_with_an_old_one_saves_nothing(case, candidate, client):
    """No token, a made-up one, or the token of a page opened before the latest (rotated at each opening):
    refused with a message telling the candidate to reload, nothing saved; the latest page's token saves."""
    client.force_login(candidate)
    WT.start_test(case, candidate)
    old = _page_token(client, case)
    new = _page_token(client, case)  # the page opened again (another tab, a reload)
    assert old != new
    item = _mc_items(case)[0]
    url = reverse("assessment:written_answer", args=[case.pk])
    for r in (client.post(url, {"item": item.pk, "choice": 1}),  # no header at all
              _answer(client, case, "", item=item.pk, choice=1),
              _answer(client, case, "x" * 43, item=item.pk, choice=1),
              _answer(client, case, old, item=item.pk, choice=1)):
        assert r.status_code == 403
        body = r.json()
        assert body["ok"] is False and body["reload"] is True and "Muat ulang" in body["error"]
    assert WrittenAnswer.objects.get(item=item).choice is None and WrittenAnswer.objects.get(item=item).saved_at is None
    assert _answer(client, case, new, item=item.pk, choice=1).json()["ok"]
    assert WrittenAnswer.objects.get(item=item).choice == 1


def test_the_token_works_only_with_the_session_it_was_given_to_and_not_after_logout(case, candidate, client):
    from django.conf import settings
    from django.test import Client

    client.force_login(candidate)
    WT.start_test(case, candidate)
    token = _page_token(client, case)
    item = _mc_items(case)[0]
    url = reverse("assessment:written_answer", args=[case.pk])
    # The token copied into a browser without that session (no cookie, or the candidate's other log-in): refused.
    other = Client()
    assert other.post(url, {"item": item.pk, "choice": 0}, HTTP_X_ATTEMPT_TOKEN=token).status_code == 403
    other.force_login(candidate)
    r = other.post(url, {"item": item.pk, "choice": 0}, HTTP_X_ATTEMPT_TOKEN=token)
    assert r.status_code == 403 and r.json()["reload"] is True
    assert WrittenAnswer.objects.get(item=item).saved_at is None
    # Logged out: the old session cookie with the old token saves nothing any more.
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _answer(client, case, token, item=item.pk, choice=1).json()["ok"]
    client.post(reverse("logout"))
    assert WrittenAttempt.objects.get(case=case).token_hash == ""
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = session
    r = replay.post(url, {"item": item.pk, "choice": 2}, HTTP_X_ATTEMPT_TOKEN=token)
    assert r.status_code == 403 and r.json()["reload"] is True
    assert WrittenAnswer.objects.get(item=item).choice == 1


def test_another_candidates_token_cannot_save_into_this_attempt(case, make_case, candidate, client):
    """Candidate B, in the same room with their own open test and page token, aims at A's test: refused,
    with B's session or A's, nothing saved into A's attempt; B's own save goes into B's attempt only."""
    from django.conf import settings
    from django.test import Client

    b_user = make_user("peserta-b", "candidate")
    b_case = make_case("in_assessment", candidate=b_user)
    client.force_login(candidate)
    WT.start_test(case, candidate)
    a_token = _page_token(client, case)
    b = Client()
    b.force_login(b_user)
    WT.start_test(b_case, b_user)
    b_token = _page_token(b, b_case)
    item = _mc_items(case)[0]
    r = _answer(b, case, b_token, item=item.pk, choice=1)  # B's session and token, A's test
    assert r.status_code == 403 and "asesinya sendiri" in r.json()["error"]
    stolen = Client()  # B's token beside A's session cookie (as if B ran a script in A's browser)
    stolen.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert _answer(stolen, case, b_token, item=item.pk, choice=1).status_code == 403
    assert _answer(b, case, a_token, item=item.pk, choice=1).status_code == 403  # A's token with B's session
    a_attempt = WrittenAttempt.objects.get(case=case)
    assert not WrittenAnswer.objects.filter(attempt=a_attempt).exclude(saved_at=None).exists()
    assert _answer(b, b_case, b_token, item=item.pk, choice=1).json()["ok"]
    assert WrittenAnswer.objects.get(attempt__case=b_case, item=item).choice == 1
    assert WrittenAnswer.objects.get(attempt=a_attempt, item=item).choice is None


def test_a_save_may_keep_the_session_alive(case, candidate, client, settings):
    """The endpoint reads no session, so the page asks it every SESSION_TOUCH_SECONDS ("touch") to push the
    session's expiry forward, as any other page would: a test longer than the idle limit keeps its log-in."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(candidate)
        WT.start_test(case, candidate)
        token = _page_token(client, case)
    item = _mc_items(case)[0]
    touched = client.session["_touched"]
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        assert _answer(client, case, token, item=item.pk, choice=0, touch="1").json()["ok"]
        assert client.session["_touched"] == touched  # not yet: at most once every SESSION_TOUCH_SECONDS
    with time_machine.travel(start + dt.timedelta(seconds=settings.SESSION_TOUCH_SECONDS + 5), tick=False):
        assert _answer(client, case, token, item=item.pk, choice=1).json()["ok"]
        assert client.session["_touched"] == touched  # a save without "touch" never writes the session
        assert _answer(client, case, token, item=item.pk, choice=2, touch="1").json()["ok"]
        assert client.session["_touched"] > touched


def test_autosave_finds_a_new_attempt_when_the_cache_is_behind(case, candidate):
    first = WT.start_test(case, candidate)
    item = _mc_items(case)[0]
    WT.save_answer(case, candidate, item_id=item.pk, choice=0)  # the cache now names the first attempt
    WrittenAttempt.objects.filter(pk=first.pk).delete()  # e.g. removed by staff and started again
    second = WT.start_test(case, candidate)
    assert second.pk != first.pk
    WT.save_answer(case, candidate, item_id=item.pk, choice=1)
    assert WrittenAnswer.objects.get(attempt=second, item=item).choice == 1


def test_the_assessors_day_page_shows_the_written_tests_progress(case, candidate, assessor):
    from kompeten.assessment import observation

    def states():
        return {s["form"]: (s["done"], s["total"], s["state"]) for s in observation.instrument_states(case)
                if s["form"] in ("IA.05", "IA.06")}

    n_mc, n_essays = len(_mc_items(case)), len(_essays(case))
    assert states() == {"IA.05": (0, n_mc, "not_started"), "IA.06": (0, n_essays, "not_started")}
    WT.start_test(case, candidate)
    for item in _mc_items(case)[:3]:
        WT.save_answer(case, candidate, item_id=item.pk, choice=0)
    assert states()["IA.05"] == (3, n_mc, "in_progress")
    WT.submit_test(case, candidate)  # the rest scores wrong: the multiple choice is done
    assert states()["IA.05"] == (n_mc, n_mc, "done")
    essay = WrittenAnswer.objects.filter(attempt__case=case, item=_essays(case)[0]).get()
    WT.mark_essay(case, assessor.user, answer_id=essay.pk, mark="K")
    assert states()["IA.06"] == (1, n_essays, "in_progress")


def test_ak02_is_prefilled_with_the_written_test_as_a_method(case, candidate, assessor):
    from kompeten.assessment import rollup
    from kompeten.assessment.day_views import ak02_initial

    WT.start_test(case, candidate)
    WT.submit_test(case, candidate)
    for a in WrittenAnswer.objects.filter(attempt__case=case, item__in=_essays(case)):
        WT.mark_essay(case, assessor.user, answer_id=a.pk, mark="K")
    covered = {c.element.unit_id for i in _mc_items(case) + _essays(case)
               for c in i.criteria.select_related("element")}
    initial = ak02_initial(case, rollup.rollup(case))
    assert covered and all("tertulis" in initial[f"u{uid}_methods"] for uid in covered)
