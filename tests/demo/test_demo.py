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
    assert Case.objects.count() == len(CANDIDATES)
    holder = Case.objects.get(status="surveillance")
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
    assert Case.objects.count() == len(CANDIDATES)


# --- the dates hold together ---------------------------------------------------------------------------

SOP_ORDER = {a.code: i for i, a in enumerate(CASE_FLOW)}


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
    for case in Case.objects.exclude(event=None).select_related("event"):
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
    assert ahead == {"published", "draft"}
    coming = set(AssessmentEvent.objects.filter(starts_at__gt=now).values_list("pk", flat=True))
    # Every record's own timestamp is in the past; a date ahead is only a booking in a coming event.
    skip = {"valid_until", "verified_until", "registration_valid_until", "due", "due_on", "ack_due", "resolve_due",
            "birth_date", "validated_on", "starts_at", "ends_at"}
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

    secrets = {norm(i.payload["answer"])[:60] for i in InstrumentItem.objects.all() if i.payload.get("answer")}
    secrets |= {norm(i.payload["options"][i.payload["key"]]) for i in InstrumentItem.objects.all()
                if "key" in i.payload and len(i.payload["options"][i.payload["key"]]) > 25}
    assert len(secrets) > 20
    skip = ("/logout", "/keluar", "/i18n/", "/admin/", "/static/", "/media/")
    candidates = User.objects.filter(roles__role="candidate").distinct()
    assert candidates.count() >= 10
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
            leaked = [s for s in secrets if s in body]
            assert not leaked, f"{user} sees an answer key on {url}: {leaked[:2]}"
            assert "Kunci Jawaban" not in body and "KUNCI JAWABAN" not in body, url
    assert opened > 100
