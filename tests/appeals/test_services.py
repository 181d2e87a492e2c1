"""Appeals and complaints: deadlines, independence of the handler, reopening the case, spam guard."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from kompeten.appeals import selectors
from kompeten.appeals import services as S
from kompeten.appeals.models import Grievance
from kompeten.assessment.models import AssessmentRecord
from kompeten.cases.models import Case, DocumentReview
from kompeten.certification import services as cert_services
from kompeten.certification.models import Decision
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Notification, Role
from tests.certification.helpers import recommend
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

ANSWERS = {"explained": True, "discussed": False, "involve_other": False,
           "reasons": "Asesor tidak memberi kesempatan menunjukkan portofolio.", "consent": True}


def appeal(case, candidate, **kw):
    return S.lodge_appeal(case, candidate, **{**ANSWERS, **kw})


def complaint(actor=None, **kw):
    args = {"about": "lsp", "reasons": "Jadwal diubah tanpa pemberitahuan.", "subject": "Jadwal",
            "name": "Warga", "email": "warga@example.id", "ip": "203.0.113.9", "elapsed": 30}
    return S.lodge_complaint(actor, **{**args, **kw})


# --- lodging an appeal and its deadline -------------------------------------------------------------


def test_candidate_appeals_a_decision_with_a_number_and_deadlines(bk_case, candidate, admin_user, settings):
    g = appeal(bk_case, candidate)
    assert g.number.startswith("BDG/") and g.kind == "appeal" and g.about == "decision"
    assert g.status == "received" and g.q_explained is True and g.q_discussed is False and g.signed_at
    today = timezone.localdate()
    assert g.ack_due == today + dt.timedelta(days=settings.GRIEVANCE_ACK_DAYS)
    assert g.due_on == today + dt.timedelta(days=settings.GRIEVANCE_RESOLVE_DAYS)
    assert history(bk_case).filter(act="lodge_appeal").exists() and history(g).filter(act="lodge_appeal").exists()
    assert Notification.objects.filter(recipient=admin_user, asks="assign_handler").exists()


def test_appeal_against_the_assessment_before_any_decision(recommended_bk, candidate):
    g = appeal(recommended_bk, candidate)
    assert g.about == "assessment"


def test_no_appeal_on_a_competent_recommendation(candidate, scheme, assessor, event):
    from tests.certification.helpers import make_case

    case = make_case(candidate, scheme, assessor, event, status="assessed")
    recommend(case, "K")
    with pytest.raises(WorkflowError, match="Belum Kompeten"):
        appeal(case, candidate)
    assert not Grievance.objects.exists()


def test_appeal_closed_after_the_deadline_says_why(bk_case, candidate, settings):
    settings.APPEAL_WINDOW_DAYS = 14
    window = S.appeal_window(bk_case)
    assert window.open and window.deadline == timezone.localdate() + dt.timedelta(days=14)
    with time_machine.travel(timezone.now() + dt.timedelta(days=15)):
        window = S.appeal_window(bk_case)
        assert not window.open and "Batas waktu banding sudah lewat" in str(window.why)
        with pytest.raises(WorkflowError, match="Batas waktu banding"):
            appeal(bk_case, candidate)
    assert not Grievance.objects.exists()


def test_one_appeal_per_result_and_incomplete_form_refused(bk_case, candidate):
    with pytest.raises(WorkflowError) as exc:
        appeal(bk_case, candidate, explained=None, reasons=" ", consent=False)
    assert set(exc.value.field_errors) == {"explained", "reasons", "consent"}
    g = appeal(bk_case, candidate)
    with pytest.raises(WorkflowError, match=g.number.replace("/", ".")):
        appeal(bk_case, candidate)
    assert Grievance.objects.count() == 1


def test_only_the_candidate_appeals(bk_case, admin_user):
    with pytest.raises(NotAllowed):
        appeal(bk_case, admin_user)
    assert not Grievance.objects.exists()


# --- independence of the handler ---------------------------------------------------------------------


@pytest.fixture
def lodged(bk_case, candidate):
    return appeal(bk_case, candidate)


def test_handler_who_assessed_is_refused(lodged, assessor, admin_user):
    RoleAssignment = __import__("kompeten.core.models", fromlist=["RoleAssignment"]).RoleAssignment
    RoleAssignment.objects.create(user=assessor.user, role=Role.LEAD_ASSESSOR)
    with pytest.raises(WorkflowError, match="pernah menjadi asesor"):
        S.assign_handler(lodged, admin_user, assessor.user)
    lodged.refresh_from_db()
    assert lodged.handler is None and lodged.status == "received"


def test_handler_who_reviewed_ak06_is_refused(lodged, lead_assessor, admin_user):
    from kompeten.assessment.models import Review

    Review.objects.create(case=lodged.case, reviewed_by=lead_assessor)
    with pytest.raises(WorkflowError, match="FR.AK.06"):
        S.assign_handler(lodged, admin_user, lead_assessor)
    assert Grievance.objects.get().handler is None


def test_committee_member_who_decided_is_refused(lodged, committee, admin_user):
    with pytest.raises(WorkflowError, match="memutuskan"):
        S.assign_handler(lodged, admin_user, committee)


def test_admin_who_reviewed_the_documents_is_refused(lodged, admin_user, lsp_head):
    DocumentReview.objects.create(case=lodged.case, reviewer=admin_user, outcome="accepted")
    with pytest.raises(WorkflowError, match="mengkaji dokumen"):
        S.assign_handler(lodged, lsp_head, admin_user)


def test_a_party_or_a_person_without_a_staff_role_is_refused(lodged, candidate, admin_user):
    with pytest.raises(WorkflowError):
        S.assign_handler(lodged, admin_user, candidate)
    outsider = make_user("tamu")
    with pytest.raises(WorkflowError, match="Penangan harus"):
        S.assign_handler(lodged, admin_user, outsider)


def test_only_staff_assign(lodged, lsp_head, committee):
    with pytest.raises(NotAllowed):
        S.assign_handler(lodged, committee, lsp_head)
    assert Grievance.objects.get().handler is None


# --- investigation and decision ---------------------------------------------------------------------


@pytest.fixture
def handled(lodged, admin_user, lsp_head):
    S.assign_handler(lodged, admin_user, lsp_head)
    lodged.refresh_from_db()
    return lodged


def test_assignment_notifies_the_handler_and_settles_the_staff_notice(handled, lsp_head, admin_user):
    assert handled.status == "investigating" and handled.handler == lsp_head
    assert Notification.objects.filter(recipient=lsp_head, asks="decide_grievance", done_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=admin_user, asks="assign_handler", done_at__isnull=True).exists()


def test_notes_and_documents_only_by_the_handler(handled, admin_user, lsp_head):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(NotAllowed):
        S.add_note(handled, admin_user, "Catatan")
    S.add_note(handled, lsp_head, "Asesor diwawancarai.")
    doc = S.add_document(handled, lsp_head, file=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4 isi"), title="Bukti")
    assert doc.content_type == "application/pdf" and handled.notes.count() == 1
    with pytest.raises(WorkflowError, match="Jenis berkas"):
        S.add_document(handled, lsp_head, file=SimpleUploadedFile("x.pdf", b"bukan pdf"))


def test_upheld_appeal_reopens_for_a_new_decision_keeping_the_old(handled, lsp_head, candidate, committee):
    case = handled.case
    old = Decision.objects.get(case=case)
    S.decide(handled, lsp_head, upheld=True, reasons="Bukti portofolio tidak dipertimbangkan.", reopen="decision")
    handled.refresh_from_db()
    case.refresh_from_db()
    assert handled.status == "upheld" and handled.reopen == "decision"
    assert case.status == "awaiting_decision"
    assert history(case).filter(act="reopen_for_decision").exists()
    assert not Decision.objects.filter(case=case).exists()  # none in force
    assert Decision.all_versions.get(pk=old.pk).superseded_at is not None
    assert Notification.objects.filter(recipient=candidate, title__contains=handled.number).count() >= 2
    # The committee decides again; the new decision points at the old.
    other = make_user("komite2", Role.COMMITTEE)
    new = cert_services.decide_not_competent(case, other, reason="Tetap BK setelah dikaji ulang.")
    assert new.supersedes_id == old.pk and Decision.all_versions.filter(case=case).count() == 2


def test_upheld_appeal_reopens_for_a_new_assessment(handled, lsp_head, assessor):
    case = handled.case
    old = AssessmentRecord.objects.get(case=case)
    S.decide(handled, lsp_head, upheld=True, reasons="Asesmen tidak sesuai SOP.", reopen="assessment")
    case.refresh_from_db()
    assert case.status == "in_assessment" and history(case).filter(act="reopen_for_assessment").exists()
    assert not AssessmentRecord.objects.filter(case=case).exists()
    assert AssessmentRecord.all_versions.filter(case=case).count() == 1
    assert not Decision.objects.filter(case=case).exists()
    from kompeten.assessment import services as assessment_services
    from tests.assessment.conftest import all_k, give_evidence

    give_evidence(case, assessor.user)  # the new assessment's observation, ticked on the day
    today = timezone.localdate()
    new = assessment_services.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=today,
                                                finished_on=today)
    assert new.supersedes_id == old.pk and case.status == "assessed"
    assert Notification.objects.filter(recipient=assessor.user, asks="record_assessment").exists()


def test_upheld_appeal_needs_a_follow_up_and_reasons(handled, lsp_head):
    with pytest.raises(WorkflowError, match="pilih asesmen ulang"):
        S.decide(handled, lsp_head, upheld=True, reasons="Ya", reopen="")
    with pytest.raises(WorkflowError, match="alasan"):
        S.decide(handled, lsp_head, upheld=False, reasons="")
    handled.refresh_from_db()
    assert handled.status == "investigating" and Case.objects.get().status == "not_competent"


def test_rejected_appeal_leaves_the_case(handled, lsp_head, candidate):
    S.decide(handled, lsp_head, upheld=False, reasons="Proses sesuai SOP.")
    assert Grievance.objects.get().status == "rejected" and Case.objects.get().status == "not_competent"
    assert not Notification.objects.filter(recipient=lsp_head, asks="decide_grievance", done_at__isnull=True).exists()
    with pytest.raises(WorkflowError):
        S.decide(handled, lsp_head, upheld=True, reasons="lagi", reopen="decision")


def test_only_the_handler_decides(handled, admin_user):
    with pytest.raises(NotAllowed):
        S.decide(handled, admin_user, upheld=False, reasons="x")
    assert Grievance.objects.get().status == "investigating"


def test_acknowledgement_once(lodged, admin_user, candidate):
    S.acknowledge(lodged, admin_user)
    assert Grievance.objects.get().acknowledged_at is not None
    with pytest.raises(WorkflowError, match="sudah dikirim"):
        S.acknowledge(lodged, admin_user)
    with pytest.raises(NotAllowed):
        S.acknowledge(lodged, candidate)


# --- deadlines and overdue lists --------------------------------------------------------------------


def test_overdue_items_stand_out_in_lists(lodged, admin_user, lsp_head, settings):
    other = complaint()
    assert list(selectors.listing(overdue=True)) == []
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.GRIEVANCE_ACK_DAYS + 1)):
        assert {g.pk for g in selectors.listing(overdue=True)} == {lodged.pk, other.pk}
        assert "Tanda terima terlambat" in str(S.overdue_text(lodged))
        S.acknowledge(lodged, admin_user)
        assert [g.pk for g in selectors.listing(overdue=True)] == [other.pk]
    with time_machine.travel(timezone.now() + dt.timedelta(days=settings.GRIEVANCE_RESOLVE_DAYS + 1)):
        assert lodged.pk in {g.pk for g in selectors.listing(overdue=True)}
        lodged.refresh_from_db()
        assert "Melewati batas penyelesaian" in str(S.overdue_text(lodged))
        assert selectors.counts()["overdue"] == 2
    assert {g.pk for g in selectors.waiting_for(admin_user)} == {lodged.pk, other.pk}
    handler = make_user("komite9", Role.COMMITTEE)
    S.assign_handler(other, admin_user, handler)
    assert [g.pk for g in selectors.waiting_for(handler)] == [other.pk]  # a handler sees what they hold


# --- complaints -------------------------------------------------------------------------------------


def test_anonymous_complaint_received_and_emailed(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        g = complaint()
    assert g.number.startswith("ADU/") and g.lodged_by is None and g.ip_hash and "203.0.113.9" not in g.ip_hash
    assert any(g.number in m.subject and m.to == ["warga@example.id"] for m in mailoutbox)


def test_complaint_about_a_holder_names_an_existing_certificate(bk_case):
    with pytest.raises(WorkflowError) as exc:
        complaint(about="holder", certificate_number="")
    assert "certificate_number" in exc.value.field_errors
    with pytest.raises(WorkflowError) as exc:
        complaint(about="holder", certificate_number="CERT/TIDAK/ADA")
    assert "tidak ditemukan" in str(exc.value.field_errors["certificate_number"][0])
    assert not Grievance.objects.exists()


def test_complaint_rate_bound_per_address(settings):
    settings.COMPLAINT_RATE_LIMIT = 2
    complaint()
    complaint()
    with pytest.raises(WorkflowError, match="Terlalu banyak pengaduan"):
        complaint()
    complaint(ip="198.51.100.7")  # another address is not bound by the first
    assert Grievance.objects.count() == 3
    with time_machine.travel(timezone.now() + dt.timedelta(hours=1, minutes=1)):
        complaint()
    assert Grievance.objects.count() == 4


def test_honeypot_and_fill_time_guard(settings):
    settings.COMPLAINT_MIN_SECONDS = 4
    for kw in ({"trap": "http://spam.example"}, {"elapsed": 1}, {"elapsed": None}):
        with pytest.raises(WorkflowError, match="terlalu cepat atau tidak wajar"):
            complaint(**kw)
    assert not Grievance.objects.exists()


def test_logged_in_complaint_uses_the_account(candidate):
    g = complaint(candidate, name="", email="")
    assert g.lodged_by == candidate and g.email == candidate.email
    assert list(selectors.of_person(candidate)) == [g]
