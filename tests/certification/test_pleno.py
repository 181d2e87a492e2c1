"""S5.1 in a plenary meeting: quorum, the per-case exclusion, the numbered SK and minutes, and issuing the
meeting's certificates as one background job (run here synchronously; tests/core/test_jobs.py runs a worker)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from kompeten.cases.models import Case
from kompeten.certification import pleno, services
from kompeten.certification.models import Certificate, Decision, Meeting
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.jobs import run_job
from kompeten.core.models import Job, Role, RoleAssignment
from tests.conftest import make_user

from .helpers import make_case, recommend

pytestmark = pytest.mark.django_db


def pdf_text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def members(committee):
    return [committee, make_user("komite2", Role.COMMITTEE, first_name="Bayu", last_name="Saputra")]


@pytest.fixture
def meeting(members, settings):
    settings.PLENO_QUORUM = 2
    return pleno.open_meeting(members[0], held_on=timezone.localdate(), members=members, place="Ruang Rapat")


def _status(case):
    return Case.objects.get(pk=case.pk).status


def test_open_meeting_numbers_it_and_records_who_is_present(meeting, members):
    assert meeting.reference.startswith("PLENO/") and meeting.reference.endswith("/001")
    assert set(meeting.members.all()) == set(members)
    assert meeting.is_open


def test_only_committee_members_open_or_attend(members, lsp_head, candidate):
    with pytest.raises(NotAllowed):
        pleno.open_meeting(lsp_head, held_on=timezone.localdate(), members=members)
    with pytest.raises(WorkflowError):
        pleno.open_meeting(members[0], held_on=timezone.localdate(), members=[members[0], candidate])
    assert not Meeting.objects.exists()


def test_quorum_not_met_refuses_and_changes_nothing(case, members, settings):
    recommend(case, "K")
    settings.PLENO_QUORUM = 2
    m = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=[members[0]])
    with pytest.raises(WorkflowError, match="Kuorum tidak terpenuhi"):
        pleno.decide_in_meeting(m, case, members[0], decision="K")
    assert _status(case) == "awaiting_decision" and not Decision.objects.exists()
    # the second member arrives: the same case is decided in the same meeting
    pleno.record_attendance(m, members[0], members=members)
    decision = pleno.decide_in_meeting(m, case, members[0], decision="K")
    assert decision.meeting_ref == m.reference and _status(case) == "competent"


def test_a_member_who_assessed_the_case_cannot_decide_it_the_others_do(case, members, meeting, settings):
    recommend(case, "K")
    # the case's assessor also sits on the committee
    RoleAssignment.objects.create(user=case.assessor.user, role=Role.COMMITTEE)
    pleno.record_attendance(meeting, members[0], members=[*members, case.assessor.user])
    assessor_user = type(case.assessor.user).objects.get(pk=case.assessor.user.pk)
    with pytest.raises(NotAllowed, match="pernah mengases"):
        pleno.decide_in_meeting(meeting, case, assessor_user, decision="K")
    assert _status(case) == "awaiting_decision"
    assert assessor_user not in pleno.deciders(meeting, case)
    # with a quorum of 3, the two others are not enough for this case (the assessor does not count)
    settings.PLENO_QUORUM = 3
    with pytest.raises(WorkflowError, match="Kuorum"):
        pleno.decide_in_meeting(meeting, case, members[1], decision="K")
    settings.PLENO_QUORUM = 2
    pleno.decide_in_meeting(meeting, case, members[1], decision="K")
    assert Decision.objects.get(case=case).decided_by == members[1]


def test_a_member_not_present_cannot_decide(case, members, settings):
    recommend(case, "K")
    settings.PLENO_QUORUM = 1
    m = pleno.open_meeting(members[0], held_on=timezone.localdate(), members=[members[0]])
    with pytest.raises(WorkflowError, match="tidak tercatat hadir"):
        pleno.decide_in_meeting(m, case, members[1], decision="K")
    assert _status(case) == "awaiting_decision"


def test_checklist_names_what_is_missing(case):
    checklist = dict((label, ok) for label, ok, _d in pleno.case_checklist(case))
    assert checklist["FR.AK.02 Rekaman asesmen kompetensi"] is False
    recommend(case, "K")
    checklist = dict((label, ok) for label, ok, _d in pleno.case_checklist(case))
    assert checklist["FR.AK.02 Rekaman asesmen kompetensi"] is True
    assert checklist["FR.AK.05 Laporan asesmen"] is False
    assert not pleno.file_complete(case)


def _decided_meeting(meeting, members, candidate, scheme, assessor, event):
    """Three cases: two K (one will sign the agreement), one BK."""
    k1 = make_case(candidate, scheme, assessor, event)
    k2 = make_case(make_user("asesi2", Role.CANDIDATE, first_name="Yusuf", last_name="Maulana"), scheme, assessor,
                   event)
    bk = make_case(make_user("asesi3", Role.CANDIDATE, first_name="Mega", last_name="Putri"), scheme, assessor, event)
    for c in (k1, k2):
        recommend(c, "K")
    recommend(bk, "BK")
    pleno.decide_in_meeting(meeting, k1, members[0], decision="K")
    pleno.decide_in_meeting(meeting, k2, members[1], decision="K")
    pleno.decide_in_meeting(meeting, bk, members[0], decision="BK", reason="Unit 3 belum kompeten.")
    return k1, k2, bk


def test_closing_numbers_the_sk_and_minutes_with_the_right_lists(meeting, members, candidate, scheme, assessor,
                                                                 event):
    with pytest.raises(WorkflowError, match="Belum ada permohonan"):
        pleno.close_meeting(meeting, members[0])
    k1, k2, bk = _decided_meeting(meeting, members, candidate, scheme, assessor, event)
    with pytest.raises(WorkflowError):
        pleno.sk_pdf(meeting)
    meeting = pleno.close_meeting(meeting, members[0])
    assert meeting.sk_number.startswith("SK/") and meeting.minutes_number.startswith("BA/")
    sk = pdf_text(pleno.sk_pdf(meeting))
    assert meeting.sk_number in sk
    competent_part, not_competent_part = sk.split("BELUM KOMPETEN (BK)")
    assert k1.number in competent_part and k2.number in competent_part and bk.number not in competent_part
    assert bk.number in not_competent_part and k1.number not in not_competent_part
    minutes = pdf_text(pleno.minutes_pdf(meeting))
    assert meeting.minutes_number in minutes and meeting.sk_number in minutes
    assert "Ani Wijaya" in minutes and "Bayu Saputra" in minutes
    # once closed, nothing more is decided in it
    other = make_case(make_user("asesi4", Role.CANDIDATE), scheme, assessor, event)
    recommend(other, "K")
    with pytest.raises(WorkflowError, match="sudah ditutup"):
        pleno.decide_in_meeting(meeting, other, members[0], decision="K")


def test_issue_job_issues_the_signed_and_reports_the_unsigned(meeting, members, candidate, scheme, assessor, event,
                                                            lsp_head, django_capture_on_commit_callbacks):
    k1, k2, bk = _decided_meeting(meeting, members, candidate, scheme, assessor, event)
    meeting = pleno.close_meeting(meeting, members[0])
    services.sign_holder_agreement(k1, k1.candidate)
    with django_capture_on_commit_callbacks():
        job = pleno.start_issue_job(meeting, lsp_head)
    assert job.total == 2 and job.status == Job.Status.QUEUED
    assert pleno.start_issue_job(meeting, lsp_head) == job  # not started twice
    run_job.call(job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.done == 2 and job.percent == 100
    cert = Certificate.objects.get(case=k1)
    assert cert.number in job.message
    assert k2.number in job.message and "belum menandatangani" in job.message
    assert not Certificate.objects.filter(case__in=[k2, bk]).exists()
    assert _status(k1) == "certified" and _status(k2) == "competent"


def test_wrong_role_cannot_start_the_job_and_nothing_changes(meeting, members, candidate, scheme, assessor, event,
                                                            client):
    _decided_meeting(meeting, members, candidate, scheme, assessor, event)
    meeting = pleno.close_meeting(meeting, members[0])
    with pytest.raises(NotAllowed):
        pleno.start_issue_job(meeting, members[0])
    client.force_login(members[0])
    resp = client.post(reverse("certification:meeting_issue", args=[meeting.pk]))
    assert resp.status_code == 403
    assert not Job.objects.exists() and not Certificate.objects.exists()


def test_job_cannot_start_while_meeting_open(meeting, lsp_head):
    with pytest.raises(WorkflowError, match="ditutup"):
        pleno.start_issue_job(meeting, lsp_head)
    assert not Job.objects.exists()


def test_meeting_pages_through_the_screens(meeting, members, candidate, scheme, assessor, event, lsp_head, client,
                                           django_capture_on_commit_callbacks):
    case = make_case(candidate, scheme, assessor, event)
    recommend(case, "K")
    client.force_login(members[1])
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200 and case.number in page.content.decode()
    resp = client.post(reverse("certification:meeting_decide", args=[meeting.pk, case.pk]),
                       {f"c{case.pk}-decision": "K", f"c{case.pk}-reason": ""})
    assert resp.status_code == 302 and _status(case) == "competent"
    client.post(reverse("certification:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert not meeting.is_open
    sk = client.get(reverse("certification:meeting_sk", args=[meeting.pk]))
    assert sk.status_code == 200 and sk["Content-Type"] == "application/pdf"
    # a candidate may not see the meeting
    client.force_login(candidate)
    assert client.get(meeting.get_absolute_url()).status_code == 403
    # the LSP head starts the job and lands on its page
    services.sign_holder_agreement(case, case.candidate)
    client.force_login(lsp_head)
    assert "Terbitkan semua sertifikat" in client.get(meeting.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks():
        resp = client.post(reverse("certification:meeting_issue", args=[meeting.pk]))
    job = Job.objects.get()
    assert resp.status_code == 302 and resp["Location"] == job.get_absolute_url()
    assert "Terbitkan sertifikat rapat" in client.get(reverse("home")).content.decode()  # listed while running
    run_job.call(job.pk)
    data = client.get(reverse("job_progress", args=[job.pk]), {"format": "json"}).json()
    assert data["status"] == "done" and data["percent"] == 100 and data["done"] == 1
    assert Certificate.objects.filter(case=case).exists()
