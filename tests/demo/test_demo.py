"""The demo LSP loads through the services, leaves real work on every role's home page, and tells a story
whose dates hold together (loaded once for the module: its moments commit one by one, as in `load_demo`)."""

import datetime as dt
import io
import re

import pytest
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from kompeten.cases.models import Case
from kompeten.cases.workflow import CASE_FLOW
from kompeten.core.actions import history
from kompeten.core.models import User
from kompeten.demo.builder import CANDIDATES, LOGINS, MONTHS_ID, PASSWORD
from kompeten.demo.people import SMK_CLASS
from kompeten.demo.today import BATCH, OPEN_TEST

# The demo's story (dates in order, work on every desk, no key reaching a candidate) is the same on either
# database; the PostgreSQL pass walks the same services in test_sop_walk and the stateful walk.
pytestmark = pytest.mark.sqlite_pass

FINISHED = ("awaiting_decision", "not_competent", "certified", "surveillance")


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    private = tmp_path_factory.mktemp("demo-private")
    storages = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                                                 "OPTIONS": {"location": private, "base_url": None}}}
    with django_db_blocker.unblock(), override_settings(
            MEDIA_ROOT=private, STORAGES=storages, AXES_ENABLED=False,
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        call_command("load_demo", stdout=io.StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_loaded, db):
    return None


def test_demo_has_a_case_at_every_stage(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    expected = set(Case.Status.values) - {"withdrawn", "not_continued"}
    assert expected <= statuses, expected - statuses
    assert Case.objects.count() == len(CANDIDATES) + len(BATCH) + len(SMK_CLASS)
    for holder in Case.objects.filter(status="surveillance"):
        assert holder.certificate.number.startswith("CERT/")


def test_every_demo_login_works_and_staff_see_work(demo, client, settings):
    settings.KOMPETEN_MFA_REQUIRED = False  # as `make demo` runs it (scripts/kompeten demo)
    for email, _who in LOGINS:
        assert client.login(username=email, password=PASSWORD), email
        body = client.get(reverse("home")).content.decode()
        assert any(text in body for text in ("Langkah berikutnya", "Giliran Anda", "Tidak ada")), email
        client.logout()
    for email in ("admin@lsp-tdn.id", "asesor@lsp-tdn.id", "lead@lsp-tdn.id", "ketuatuk@lsp-tdn.id",
                  "komite@lsp-tdn.id", "ketualsp@lsp-tdn.id", "budi@contoh.id"):
        client.force_login(User.objects.get(email=email))
        assert "Langkah berikutnya" in client.get(reverse("home")).content.decode(), email
    client.force_login(User.objects.get(email="siti@contoh.id"))
    assert "Giliran Anda" in client.get(reverse("home")).content.decode()  # she must confirm her schedule


def test_loading_twice_keeps_the_data(demo, capsys):
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert Case.objects.count() == len(CANDIDATES) + len(BATCH) + len(SMK_CLASS)


# --- the dates hold together ---------------------------------------------------------------------------

SOP_ORDER = {a.code: i for i, a in enumerate(CASE_FLOW)}
# Acts logged on the case outside the workflow table, placed just after the act they follow; the acts of the
# assessment day (S3.2: observation, written test, marking) happen in any order among themselves.
SOP_ORDER |= {"submit_surveillance_evidence": SOP_ORDER["enrol_surveillance"] + 0.5,
              "record_surveillance_result": SOP_ORDER["enrol_surveillance"] + 0.5}
SOP_ORDER |= dict.fromkeys(("record_evidence", "take_written_test", "submit_written_test", "close_written_test",
                            "mark_written_test"), SOP_ORDER["check_in"] + 0.5)


def _day(value):
    return timezone.localdate(value) if isinstance(value, dt.datetime) else value


def test_each_case_history_runs_forward_in_sop_order(demo):
    for case in Case.objects.all():
        entries = sorted(history(case), key=lambda e: (SOP_ORDER.get(e.act, -1), e.at, e.pk))
        times = [e.at for e in entries]
        assert times == sorted(times), (case.number, [(e.act, e.at) for e in entries])
        assert case.created_at <= min(times)
        spread = {timezone.localdate(t) for t in times}
        if case.status not in ("draft",):
            assert len(spread) >= 2, case.number  # weeks of work, not one afternoon


def test_submission_weeks_before_the_event_and_the_days_around_it(demo):
    from kompeten.assessment.models import Agreement, AssessmentRecord, Attendance, Consultation
    from kompeten.certification.models import Certificate, Decision

    assessed = 0
    # (the class imported for the coming event holds its seats with draft cases, not submitted yet)
    for case in Case.objects.exclude(event=None).exclude(status="draft").select_related("event"):
        day = timezone.localdate(case.event.starts_at)
        assert case.submitted_at and (day - timezone.localdate(case.submitted_at)).days >= 14, case.number
        for doc in case.documents.all():
            assert doc.uploaded_at <= case.submitted_at, case.number
        for c in Consultation.objects.filter(case=case):
            assert _day(c.recorded_at) < day, case.number
        for ag in Agreement.objects.filter(case=case):
            assert ag.date == day
            assert _day(ag.assessor_signed_at) < day and (ag.candidate_signed_at is None
                                                          or _day(ag.candidate_signed_at) < day), case.number
        for att in Attendance.objects.filter(case=case):
            assert _day(att.recorded_at) == day, case.number
        record = AssessmentRecord.objects.filter(case=case).first()
        if record is None:
            continue
        assessed += 1
        assert day <= record.started_on <= record.finished_on <= _day(record.recorded_at), case.number
        decision = Decision.objects.filter(case=case).first()
        if decision:
            assert record.finished_on < _day(decision.decided_at), case.number
            certificate = Certificate.objects.filter(case=case).first()
            if certificate:
                assert decision.decided_at < certificate.issued_at
                assert _day(decision.decided_at) <= certificate.issued_on == _day(certificate.issued_at)
    assert assessed >= 8


def test_only_the_coming_events_lie_ahead(demo):
    from django.apps import apps

    from kompeten.events.models import AssessmentEvent

    now, today = timezone.now(), timezone.localdate()
    held = AssessmentEvent.objects.get(status="held")
    assert 5 <= (today - timezone.localdate(held.starts_at)).days <= 10  # last week
    ahead = set(AssessmentEvent.objects.filter(starts_at__gt=now).values_list("status", flat=True))
    # The one event in progress today has begun and is not held yet (the TUK records that at the day's end).
    assert AssessmentEvent.objects.filter(status="published", starts_at__lte=now).count() == 1
    assert ahead == {"published", "draft"}
    coming = set(AssessmentEvent.objects.filter(starts_at__gt=now).values_list("pk", flat=True))
    # Every record's own timestamp is in the past; a date ahead is only a booking in a coming event.
    skip = {"valid_until", "verified_until", "registration_valid_until", "due", "due_on", "ack_due", "resolve_due",
            "birth_date", "validated_on", "starts_at", "ends_at", "deadline", "run_after"}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if field.get_internal_type() not in ("DateTimeField", "DateField") or field.name in skip:
                continue
            limit = now if field.get_internal_type() == "DateTimeField" else today
            late = model.objects.filter(**{f"{field.name}__gt": limit})
            if model._meta.label == "assessment.Agreement" and field.name == "date":
                late = late.exclude(case__event_id__in=coming)
            assert not late.exists(), (model._meta.label, field.name)


def test_event_titles_name_their_month(demo):
    from kompeten.events.models import AssessmentEvent

    for ev in AssessmentEvent.objects.all():
        month = MONTHS_ID[timezone.localtime(ev.starts_at).month - 1]
        named = [m for m in MONTHS_ID if re.search(rf"\b{m}\b", ev.title)]
        assert named == [month], ev.title


def test_apl02_claims_rest_on_fitting_evidence(demo):
    from kompeten.cases.models import SelfAssessmentAnswer

    for case in Case.objects.exclude(status="draft"):
        answers = SelfAssessmentAnswer.objects.filter(case=case).prefetch_related("evidence__requirement")
        sets = {frozenset(d.pk for d in a.evidence.all()) for a in answers}
        assert len(sets) > 1 and all(sets), case.number  # not one document for every element
        for a in answers:
            for doc in a.evidence.all():
                assert doc.requirement is None or doc.requirement.kind == "basic", (case.number, doc.title)
        kinds = {d.content_type for d in case.documents.all()}
        assert {"application/pdf", "image/png"} <= kinds, case.number


def test_finished_cases_show_no_deadline(demo, client):
    admin = User.objects.get(email="admin@lsp-tdn.id")
    finished = list(Case.objects.filter(status__in=FINISHED)) + [Case.objects.get(candidate__email="taufik@contoh.id")]
    for case in finished:
        for viewer in (admin, case.candidate):
            client.force_login(viewer)
            assert "batas" not in client.get(case.get_absolute_url()).content.decode(), (case.number, viewer)
        assert "batas" not in client.get(reverse("home")).content.decode(), case.candidate.email
    client.force_login(User.objects.get(email="yusuf@contoh.id"))  # still to sign: his limit stands
    assert "batas" in client.get(reverse("home")).content.decode()


def test_answer_keys_never_reach_a_candidate(demo, client):
    """Walk every page a demo candidate can open from their home (case pages, forms, PDFs) and look for any
    answer key, model answer or expected answer of the scheme's instruments (issue 7)."""
    import html
    from urllib.parse import urlparse

    from pypdf import PdfReader

    from kompeten.assessment.models import InstrumentItem

    def norm(s):
        return " ".join(s.split())

    answers = {norm(i.payload["answer"])[:60] for i in InstrumentItem.objects.all() if i.payload.get("answer")}
    keys = {norm(i.payload["options"][i.payload["key"]]) for i in InstrumentItem.objects.all()
            if "key" in i.payload and len(i.payload["options"][i.payload["key"]]) > 25}
    assert len(answers) > 5 and len(keys) > 20
    mc_versions = set(InstrumentItem.objects.filter(version__instrument__form="IA.05").values_list("version_id",
                                                                                                   flat=True))
    skip = ("/logout", "/keluar", "/i18n/", "/admin/", "/static/", "/media/")
    # Every candidate at every stage, and of today's batch the one writing now and two who have submitted; of the
    # imported SMK class (eight drafts made alike by one import) the first.
    batch = [p.email for p in BATCH if p is not OPEN_TEST]
    alike = batch[2:] + [p.email for p in SMK_CLASS[1:]]
    candidates = User.objects.filter(roles__role="candidate").exclude(email__in=alike).distinct()
    assert candidates.count() >= 10 and candidates.filter(email=OPEN_TEST.email).exists()
    opened = 0
    for user in candidates:
        client.force_login(user)
        seen, todo = set(), ["/"]
        while todo and len(seen) < 80:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                resp = client.get(url)
            except FileNotFoundError:  # the candidate's own uploads live in the loader's storage, not this test's
                continue
            if resp.status_code != 200:
                continue
            opened += 1
            if resp["Content-Type"].startswith("application/pdf"):
                body = norm(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(resp.content)).pages))
            elif resp["Content-Type"].startswith("text/html"):
                raw = resp.content.decode()
                body = norm(html.unescape(raw))
                for href in re.findall(r'href="([^"#]+)"', raw):
                    href = html.unescape(href)
                    path = urlparse(href).path
                    if href.startswith("/") and not path.startswith(skip) and "?" not in href:
                        todo.append(href)
            else:
                continue
            # The written test shows a question's options (one of them the key, unmarked), and the candidate's copy
            # of its answer sheet (FR.IA.05C) the option they chose, unmarked; nowhere else do they appear. Model
            # answers appear nowhere.
            sheet = re.search(r"/perangkat/(\d+)/putaran-\d+\.pdf$", url)
            own_choices = "/tes-tertulis/" in url or (sheet and int(sheet.group(1)) in mc_versions)
            secrets = answers if own_choices else answers | keys
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"{user} sees an answer key on {url}: {leaked[:2]}"
            assert "Kunci Jawaban" not in body and "KUNCI JAWABAN" not in body, url
    assert opened > 100


# --- issue 7: the written test held, the assessment day in progress -------------------------------------------


def test_a_held_written_test_gives_the_item_analysis_real_figures(demo, client):
    from kompeten.assessment import item_analysis, written_test
    from kompeten.assessment.models import InstrumentVersion

    version = InstrumentVersion.objects.get(instrument__form="IA.05", status="validated")
    items, rows = written_test.score_matrix(version)
    assert len(rows) >= 25 and len(items) >= 30
    result = item_analysis.analyse(rows)
    ps = [it["p"] for it in result["items"]]
    assert len(set(sum(r) for r in rows)) >= 10  # scores spread, not one score for all
    flags = {f for it in result["items"] for f in it["flags"]}
    assert flags == {"difficulty_low", "difficulty_high", "discrimination"}  # too hard, too easy, not telling
    unflagged = [it for it in result["items"] if not it["flags"]]
    assert len(unflagged) > len(items) // 2  # most of the bank works
    assert min(ps) < 0.3 < 0.9 < max(ps) and result["kr20"] is not None and result["sd"] > 3
    client.force_login(User.objects.get(email="lead@lsp-tdn.id"))
    body = client.get(reverse("assessment:instrument_version", args=[version.pk])).content.decode()
    assert "KR-20" in body and f"{len(rows)}" in body


def test_an_assessment_day_is_in_progress_today(demo, client):
    from kompeten.assessment import observation, written_test
    from kompeten.assessment.models import WrittenAttempt
    from kompeten.events.models import AssessmentEvent

    now = timezone.now()
    ev = AssessmentEvent.objects.get(status="published", starts_at__lte=now)
    if timezone.localtime(now).hour >= 6:
        assert timezone.localdate(ev.starts_at) == timezone.localdate()
    batch = Case.objects.filter(event=ev)
    assert batch.count() == len(BATCH) and set(batch.values_list("status", flat=True)) == {"in_assessment"}
    # Everyone but the candidate with extra time has submitted (two when the time ran out); his is open.
    attempts = WrittenAttempt.objects.filter(case__event=ev)
    assert attempts.filter(status="submitted").count() == len(BATCH) - 1
    assert attempts.filter(auto_submitted=True).count() == 2
    galih = attempts.get(status="open")
    assert galih.case.candidate.email == OPEN_TEST.email == "galih@contoh.id"
    assert any(email == "galih@contoh.id" for email, _who in LOGINS)
    assert galih.extra_minutes == 30 and galih.deadline > now + dt.timedelta(minutes=30)
    assert galih.answers.exclude(choice=None).exists() and galih.answers.filter(choice=None, text="").exists()
    client.force_login(galih.case.candidate)
    page = client.get(reverse("assessment:written_take", args=[galih.case.pk]))
    assert page.status_code == 200
    # The observation is under way: the assessor (asesor@) has a checklist begun and not finished.
    dewi = User.objects.get(email="asesor@lsp-tdn.id")
    states = [s for c in batch.filter(assessor__user=dewi) for s in observation.instrument_states(c)
              if s["form"] == "IA.01"]
    assert any(s["state"] == "in_progress" for s in states) and any(s["state"] == "not_started" for s in states)
    client.force_login(dewi)
    assert "Langkah berikutnya" in client.get(reverse("home")).content.decode()
    # Rizky (in assessment at last week's event, whose plan held no written test) has no test to start.
    rizky = Case.objects.get(candidate__email="rizky@contoh.id")
    assert written_test.written_versions(rizky) == [] and written_test.nothing_to_take(rizky)


# --- issue 8: plenary meetings -------------------------------------------------------------------------------


def test_plenary_meetings_decide_number_and_issue(demo, client):
    from kompeten.certification import pleno
    from kompeten.certification.models import Certificate, Decision, Meeting
    from kompeten.core.models import Job

    meetings = list(Meeting.objects.all())
    assert len(meetings) >= 2
    for m in meetings:
        assert m.status == "closed" and m.sk_number.startswith("SK/") and m.minutes_number.startswith("BA/")
        assert m.members.count() >= 2 and pleno.decisions_in(m).exists()
    last = max(meetings, key=lambda m: m.held_on)
    assert set(pleno.decisions_in(last).values_list("decision", flat=True)) == {"K", "BK"}
    # Every decision of the demo was taken in a meeting, and every certificate comes from one.
    refs = {m.reference for m in meetings}
    assert set(Decision.objects.values_list("meeting_ref", flat=True)) <= refs
    for c in Certificate.objects.select_related("case"):
        assert Decision.objects.get(case=c.case).meeting_ref in refs
    jobs = Job.objects.filter(kind=pleno.ISSUE_JOB)
    assert jobs.count() == len(meetings) and set(jobs.values_list("status", flat=True)) == {"done"}
    assert "terbit" in jobs.get(ref=f"meeting:{last.pk}").message
    client.force_login(User.objects.get(email="komite@lsp-tdn.id"))
    for name in ("meeting_sk", "meeting_minutes"):
        resp = client.get(reverse(f"certification:{name}", args=[last.pk]))
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert last.sk_number in client.get(reverse("certification:meeting", args=[last.pk])).content.decode()


# --- issue 9: after the decision -------------------------------------------------------------------------------


def test_appeal_complaint_surveillance_and_expiry_are_waiting(demo, client):
    from kompeten.appeals.models import Grievance
    from kompeten.certification.models import Certificate, SurveillanceCheck

    today = timezone.localdate()
    assert Grievance.objects.filter(kind="appeal", status__in=Grievance.OPEN).exists()
    complaint = Grievance.objects.get(kind="complaint")
    assert complaint.lodged_by_id is None and complaint.case_id is None  # from the public, without an account
    due = SurveillanceCheck.objects.filter(status="due")
    assert due.filter(due_on__lt=today).exists()  # overdue
    assert due.filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=30)).exists()  # due this month
    expiring = Certificate.objects.filter(status="active", valid_until__gt=today,
                                          valid_until__lte=today + dt.timedelta(days=30))
    assert expiring.count() == 1
    holder = expiring.get()
    assert SurveillanceCheck.objects.filter(surveillance__certificate=holder, status="satisfactory").count() == 2
    client.force_login(User.objects.get(email="admin@lsp-tdn.id"))
    assert "data-overdue" in client.get(reverse("certification:surveillance_checks")).content.decode()
    listing = client.get(reverse("appeals:list")).content.decode()
    assert "BDG/" in listing and "ADU/" in listing


# --- issue 10: the BNSP blanko exchange and a class imported by its TUK ------------------------------------------


def test_the_blanko_exchange_runs_its_course_for_the_oldest_meeting_and_waits_for_the_latest(demo, client):
    from kompeten.certification import bnsp
    from kompeten.certification.models import BlankoRequest, Meeting
    from kompeten.events.models import AssessmentEvent

    # Every published event was registered at BNSP: its Kode Jadwal goes on the sheet (the draft one is not yet).
    for event in AssessmentEvent.objects.all():
        assert bool(event.bnsp_schedule_code) == (event.status != "draft"), (event.number, event.status)
        if event.bnsp_schedule_code:
            entry = history(event).get(act="record_bnsp_schedule_code")
            assert entry.at > history(event).get(act="publish_event").at
    meetings = list(Meeting.objects.filter(status="closed").order_by("held_on"))
    oldest, latest = meetings[0], meetings[-1]
    req = BlankoRequest.objects.get(meeting=oldest)
    assert req.status == "received" and req.letter_number.startswith("007/BLK/")
    assert 3 <= (req.sent_on - oldest.held_on).days <= 8  # a few days after the meeting
    assert 7 <= (req.received_on - req.sent_on).days <= 15  # a week or two later
    certs = list(bnsp.certificates_of(oldest))
    numbers = bnsp.numbers_in(req)
    assert certs and len(numbers) == len(certs)
    assert sorted(c.blanko_number for c in certs) == numbers
    assert all(re.fullmatch(r"TIK 1565 \d{5} \d{4}", c.bnsp_registration_number) for c in certs)
    for c in certs:
        assert req.received_on <= _day(history(c).get(act="give_blanko_number").at)
        assert _day(history(c).get(act="record_bnsp_registration").at) > req.received_on
    imported = history(req).get(act="import_bnsp_registrations")
    assert imported.data["updated"] == len(certs) and imported.data["unmatched"] == 0
    # Every row of the sheet has what BNSP needs, the Kode Jadwal among it.
    rows = bnsp.sheet_rows(oldest)
    assert rows and all(r["Kode Jadwal"].startswith("JDW-") for r in rows)
    # The latest meeting: the letter is out, the blanko not back; the admin's page offers to record them.
    waiting = BlankoRequest.objects.get(meeting=latest)
    assert waiting.status == "sent" and not waiting.first_number
    assert latest.held_on < waiting.sent_on < timezone.localdate()
    assert not any(c.blanko_number for c in bnsp.certificates_of(latest))
    # The meetings between have had their blanko too: only the latest one waits for BNSP.
    assert set(BlankoRequest.objects.values_list("meeting_id", flat=True)) == {m.pk for m in meetings}
    assert list(BlankoRequest.objects.filter(status="sent")) == [waiting]
    client.force_login(User.objects.get(email="admin@lsp-tdn.id"))
    page = client.get(reverse("certification:blanko_request", args=[latest.pk])).content.decode()
    assert waiting.letter_number in page and 'value="receive"' in page
    done = client.get(reverse("certification:blanko_request", args=[oldest.pk])).content.decode()
    assert certs[0].blanko_number in done and certs[0].bnsp_registration_number in done
    assert latest.reference in client.get(reverse("certification:blanko_requests")).content.decode()


def test_a_class_imported_by_its_tuk_for_the_coming_event_was_invited(demo, client):
    from kompeten.core.models import Job
    from kompeten.events.models import AssessmentEvent, CandidateImport

    imp = CandidateImport.objects.get()
    event = imp.event
    assert event.status == "published" and event.starts_at > timezone.now()
    assert imp.created_by.email == "ketuatuk@lsp-tdn.id" and imp.file_name.endswith(".xlsx")
    assert (imp.status, imp.mode, imp.total_rows, imp.error_rows, imp.imported) == (
        "imported", "all", len(SMK_CLASS), 0, len(SMK_CLASS))
    assert 3 <= (timezone.localdate() - timezone.localdate(imp.created_at)).days <= 10  # some days ago
    for job in (imp.job, imp.invite_job):
        assert job.status == "done" and job.done == job.total == len(SMK_CLASS), job.message
    assert Job.objects.get(pk=imp.invite_job_id).created_at >= imp.job.created_at
    pupils = Case.objects.filter(event=event, candidate__email__in=[p.email for p in SMK_CLASS])
    assert pupils.count() == len(SMK_CLASS) and set(pupils.values_list("status", flat=True)) == {"draft"}
    for case in pupils.select_related("candidate", "application"):
        assert not case.candidate.has_usable_password()  # they set it from the invitation
        assert case.application.employer == "SMK Negeri 2 Cimahi" and case.application.nik
        assert history(case).get(act="create_case").data["import"] == f"import:{imp.pk}"
    assert event.cases.count() <= event.quota
    assert not AssessmentEvent.objects.filter(status="published", starts_at__gt=timezone.now()).exclude(
        pk=event.pk).exists()
    client.force_login(User.objects.get(email="ketuatuk@lsp-tdn.id"))
    page = client.get(reverse("events:import_detail", args=[imp.pk])).content.decode()
    assert f'data-count="total">{len(SMK_CLASS)}<' in page and f"{len(SMK_CLASS)} orang diimpor" in page
    assert reverse("events:import_detail", args=[imp.pk]) in client.get(
        reverse("events:import", args=[event.pk])).content.decode()
