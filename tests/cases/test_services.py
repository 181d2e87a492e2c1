import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kompeten.cases import services
from kompeten.cases.models import Application, Case, Document, DocumentReview, SelfAssessmentAnswer
from kompeten.catalog.models import Requirement
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Notification, Role
from tests.conftest import make_user
from tests.s3 import ON_DISK_AND_S3

from .helpers import (
    APPLICATION,
    JPEG,
    NIK_FEMALE,
    NIK_MALE,
    PNG,
    fill_case,
    pdf_file,
    review_items,
    submitted_case,
)

pytestmark = pytest.mark.django_db


def snapshot(case):
    case.refresh_from_db()
    return (case.status, case.submitted_at, ActionLog.objects.count(), DocumentReview.objects.count(),
            Document.objects.count(), SelfAssessmentAnswer.objects.count(), Notification.objects.count())


# --- create_case -------------------------------------------------------------------------------------


def test_create_case_numbers_and_logs(scheme, candidate):
    case = services.create_case(candidate, scheme)
    assert case.status == "draft"
    assert case.number.startswith("PMH-") and case.number.endswith("-00001")
    assert case.application.full_name == "Budi Santoso"
    assert ActionLog.objects.filter(act="create_case", object_id=case.pk).exists()
    other = make_user("siti", Role.CANDIDATE)
    assert services.create_case(other, scheme).number.endswith("-00002")


def test_create_case_refuses_second_open_case_and_non_candidate(scheme, candidate, admin_user):
    services.create_case(candidate, scheme)
    with pytest.raises(WorkflowError):
        services.create_case(candidate, scheme)
    with pytest.raises(NotAllowed):
        services.create_case(admin_user, scheme)
    assert Case.objects.count() == 1


def test_create_case_allowed_again_after_withdrawal(scheme, candidate):
    case = services.create_case(candidate, scheme)
    services.withdraw(case, candidate, reason="Pindah kerja")
    assert services.create_case(candidate, scheme).pk != case.pk


def test_create_case_other_purpose_needs_text(scheme, candidate):
    with pytest.raises(WorkflowError):
        services.create_case(candidate, scheme, purpose="lainnya")
    assert Case.objects.count() == 0


# --- APL.01 and NIK -----------------------------------------------------------------------------------


def test_nik_checks():
    assert services.check_nik(NIK_MALE, dt.date(1990, 8, 17), "L") == []
    assert services.check_nik(NIK_FEMALE, dt.date(1990, 8, 17), "P") == []
    assert services.check_nik("32730117089000", None, None)  # 14 digits
    assert services.check_nik("32730117089000AB", None, None)  # letters
    assert services.check_nik("0973011708900001", None, None)  # province 09
    assert services.check_nik("9973011708900001", None, None)  # province 99
    assert services.check_nik("3273013208900001", None, None)  # day 32
    assert services.check_nik(NIK_MALE, dt.date(1991, 8, 17), "L")  # other year
    assert services.check_nik(NIK_MALE, dt.date(1990, 8, 17), "P")  # a woman with a man's NIK
    assert services.check_nik(NIK_FEMALE, dt.date(1990, 8, 17), "L")


def test_save_application_stores_data(scheme, candidate):
    case = services.create_case(candidate, scheme)
    services.save_application(case, candidate, dict(APPLICATION, purpose="rpl"))
    app = Application.objects.get(case=case)
    assert app.nik == NIK_MALE and app.employer == "PT Maju Jaya"
    case.refresh_from_db()
    assert case.purpose == "rpl"


@pytest.mark.parametrize("changes, field", [
    ({"nik": "12345"}, "nik"),
    ({"nik": "3273011708910001"}, "nik"),  # year in NIK differs from birth date
    ({"sex": "P"}, "nik"),  # a man's NIK for a woman
    ({"postcode": "40A"}, "postcode"),
    ({"birth_date": dt.date(2999, 1, 1), "nik": ""}, "birth_date"),
    ({"purpose": "lainnya"}, "purpose_other"),
])
def test_save_application_refuses_bad_data(scheme, candidate, changes, field):
    case = services.create_case(candidate, scheme)
    before = snapshot(case)
    with pytest.raises(WorkflowError) as exc:
        services.save_application(case, candidate, dict(APPLICATION, **changes))
    assert field in exc.value.field_errors
    assert snapshot(case) == before
    assert Application.objects.get(case=case).nik == ""


def test_foreigner_uses_passport(scheme, candidate):
    case = services.create_case(candidate, scheme)
    data = dict(APPLICATION, nik="", passport_number="A1234567", nationality="Malaysia")
    services.save_application(case, candidate, data)
    assert Application.objects.get(case=case).passport_number == "A1234567"
    with pytest.raises(WorkflowError):
        services.save_application(case, candidate, dict(data, nik=NIK_MALE))


def test_save_application_wrong_person_and_wrong_status(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    with pytest.raises(WorkflowError):
        services.save_application(case, candidate, dict(APPLICATION, full_name="Lain"))
    draft = services.create_case(make_user("siti", Role.CANDIDATE), scheme)
    with pytest.raises(NotAllowed):
        services.save_application(draft, admin_user, dict(APPLICATION))
    with pytest.raises(NotAllowed):
        services.save_application(draft, candidate, dict(APPLICATION))
    assert Application.objects.get(case=case).full_name == "Budi Santoso"
    assert Application.objects.get(case=draft).nik == ""


# --- APL.02 --------------------------------------------------------------------------------------------


def test_self_assessment_saved_and_updated(scheme, candidate):
    case = services.create_case(candidate, scheme)
    doc = services.upload_document(case, candidate, file=pdf_file())
    element = services.scheme_elements(scheme)[0]
    services.save_self_assessment(case, candidate, {element.pk: {"answer": "BK", "evidence": [doc.pk], "note": "x"}})
    services.save_self_assessment(case, candidate, {element.pk: {"answer": "K", "evidence": [doc.pk], "note": ""}})
    a = SelfAssessmentAnswer.objects.get(case=case, element=element)
    assert a.answer == "K" and list(a.evidence.all()) == [doc]


def test_self_assessment_refuses_foreign_evidence_and_elements(scheme, candidate):
    case = services.create_case(candidate, scheme)
    other = services.create_case(make_user("siti", Role.CANDIDATE), scheme)
    foreign = services.upload_document(other, other.candidate, file=pdf_file())
    element = services.scheme_elements(scheme)[0]
    with pytest.raises(WorkflowError):
        services.save_self_assessment(case, candidate, {element.pk: {"answer": "K", "evidence": [foreign.pk]}})
    with pytest.raises(WorkflowError):
        services.save_self_assessment(case, candidate, {element.pk: {"answer": "X", "evidence": []}})
    with pytest.raises(WorkflowError):
        services.save_self_assessment(case, candidate, {999999: {"answer": "K", "evidence": []}})
    assert SelfAssessmentAnswer.objects.count() == 0


# --- uploads ---------------------------------------------------------------------------------------------


@ON_DISK_AND_S3
@pytest.mark.parametrize("content, ctype", [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_upload_by_content(scheme, candidate, content, ctype):
    case = services.create_case(candidate, scheme)
    doc = services.upload_document(case, candidate, file=SimpleUploadedFile("foto.pdf", content, "application/pdf"))
    assert doc.content_type == ctype
    assert len(doc.sha256) == 64 and doc.size == len(content) and doc.original_name == "foto.pdf"
    assert doc.uploaded_by == candidate and "foto" not in doc.file.name


def test_upload_refuses_exe_renamed_pdf(scheme, candidate):
    case = services.create_case(candidate, scheme)
    exe = SimpleUploadedFile("ijazah.pdf", b"MZ\x90\x00" + b"\x00" * 100, content_type="application/pdf")
    with pytest.raises(WorkflowError) as exc:
        services.upload_document(case, candidate, file=exe)
    assert "file" in exc.value.field_errors
    assert Document.objects.count() == 0


def test_upload_refuses_too_big(scheme, candidate, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    case = services.create_case(candidate, scheme)
    big = SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (1024 * 1024), content_type="application/pdf")
    with pytest.raises(WorkflowError) as exc:
        services.upload_document(case, candidate, file=big)
    assert "1 MB" in exc.value.message
    assert Document.objects.count() == 0


@ON_DISK_AND_S3
def test_replace_keeps_versions(scheme, candidate):
    case = services.create_case(candidate, scheme)
    req = Requirement.objects.filter(scheme=scheme).first()
    v1 = services.upload_document(case, candidate, file=pdf_file("v1.pdf"), requirement=req, title="Ijazah")
    v2 = services.upload_document(case, candidate, file=pdf_file("v2.pdf", b"%PDF-1.7 new\n%%EOF\n"), replaces=v1)
    assert v2.previous == v1 and v2.version == 2 and v2.requirement == req and v2.title == "Ijazah"
    assert list(services.current_documents(case)) == [v2]
    v1.refresh_from_db()
    assert v1.file.read().startswith(b"%PDF-1.4")  # the old file is untouched
    with pytest.raises(WorkflowError):
        services.upload_document(case, candidate, file=pdf_file(), replaces=v1)  # already replaced


def test_upload_refused_for_staff_and_after_submission(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    count = Document.objects.count()
    with pytest.raises(NotAllowed):
        services.upload_document(case, admin_user, file=pdf_file())
    with pytest.raises(WorkflowError):
        services.upload_document(case, candidate, file=pdf_file())
    assert Document.objects.count() == count


# --- submission ---------------------------------------------------------------------------------------------


def test_incomplete_submission_names_every_missing_item(scheme, candidate):
    case = services.create_case(candidate, scheme)
    before = snapshot(case)
    with pytest.raises(WorkflowError) as exc:
        services.submit_application(case, candidate)
    missing = exc.value.field_errors["__all__"]
    text = " ".join(missing)
    for label in ["tempat lahir", "tanggal lahir", "jenis kelamin", "alamat rumah", "kode pos",
                  "kualifikasi pendidikan", "NIK"]:
        assert label in text
    for req in Requirement.objects.filter(scheme=scheme, kind="administrative"):
        assert req.text in text
    assert "salah satu persyaratan dasar" in text
    for element in services.scheme_elements(scheme):
        assert element.title in text
    assert snapshot(case) == before


def test_submission_missing_only_one_element(scheme, candidate):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    last = services.scheme_elements(scheme)[-1]
    SelfAssessmentAnswer.objects.filter(case=case, element=last).update(answer="")
    with pytest.raises(WorkflowError) as exc:
        services.submit_application(case, candidate)
    assert exc.value.field_errors["__all__"] == [
        f"FR.APL.02: unit {last.unit.code}, elemen “{last.title}” belum dijawab K/BK."]


def test_submit_notifies_admins_and_second_submit_refused(scheme, candidate, admin_user, committee, on_commit):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    on_commit(services.submit_application, case, candidate)
    case.refresh_from_db()
    assert case.status == "submitted" and case.submitted_at
    assert Notification.objects.filter(recipient=admin_user).count() == 1
    assert not Notification.objects.filter(recipient=committee).exists()
    before = snapshot(case)
    with pytest.raises(WorkflowError):
        services.submit_application(case, candidate)
    assert snapshot(case) == before


def test_submit_wrong_role(scheme, candidate, admin_user):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        services.submit_application(case, admin_user)
    assert snapshot(case) == before


# --- S2.1 review --------------------------------------------------------------------------------------------


def test_review_accepted(scheme, candidate, admin_user, on_commit):
    case = submitted_case(scheme, candidate)
    review = on_commit(services.review_documents, case, admin_user, items=review_items(scheme), outcome="accepted")
    case.refresh_from_db()
    assert case.status == "accepted"
    assert review.reviewer == admin_user and review.reviewed_at
    assert review.items.count() == Requirement.objects.filter(scheme=scheme).count()
    assert Notification.objects.filter(recipient=candidate, title__contains="diterima").exists()


def test_review_returned_then_fixed_and_resubmitted(scheme, candidate, admin_user, on_commit):
    case = submitted_case(scheme, candidate)
    bad = Requirement.objects.filter(scheme=scheme, kind="administrative").first()
    on_commit(services.review_documents, case, admin_user, items=review_items(scheme, bad={bad.pk}), outcome="returned",
                              note="Pas foto buram")
    case.refresh_from_db()
    assert case.status == "revision"
    review = services.latest_review(case)
    assert [i.requirement for i in review.items_to_fix()] == [bad]
    note = Notification.objects.get(recipient=candidate, title__contains="dikembalikan")
    assert bad.text in note.body and "buram" in note.body
    # the candidate replaces the document and resubmits
    old = services.current_documents(case).get(requirement=bad)
    services.upload_document(case, candidate, file=pdf_file("foto-baru.pdf"), replaces=old)
    services.submit_application(case, candidate)
    case.refresh_from_db()
    assert case.status == "submitted"
    services.review_documents(case, admin_user, items=review_items(scheme), outcome="accepted")
    assert DocumentReview.objects.filter(case=case).count() == 2


def test_review_not_accepted_needs_reason(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    before = snapshot(case)
    with pytest.raises(WorkflowError) as exc:
        services.review_documents(case, admin_user, items=review_items(scheme), outcome="not_accepted")
    assert "note" in exc.value.field_errors
    assert snapshot(case) == before
    services.review_documents(case, admin_user, items=review_items(scheme), outcome="not_accepted",
                              note="Tidak memenuhi persyaratan dasar")
    case.refresh_from_db()
    assert case.status == "not_accepted"


@pytest.mark.parametrize("kwargs, field", [
    ({"outcome": "returned", "note": ""}, "note"),
    ({"outcome": "returned", "note": "Perbaiki"}, "outcome"),  # nothing marked to fix
])
def test_review_returned_rules(scheme, candidate, admin_user, kwargs, field):
    case = submitted_case(scheme, candidate)
    before = snapshot(case)
    with pytest.raises(WorkflowError) as exc:
        services.review_documents(case, admin_user, items=review_items(scheme), **kwargs)
    assert field in exc.value.field_errors
    assert snapshot(case) == before


def test_review_needs_every_requirement(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    before = snapshot(case)
    with pytest.raises(WorkflowError):
        services.review_documents(case, admin_user, items=review_items(scheme)[1:], outcome="accepted")
    assert snapshot(case) == before


def test_review_wrong_role_and_wrong_status(scheme, candidate, admin_user, committee, lsp_head):
    case = services.create_case(candidate, scheme)
    fill_case(case, candidate)
    before = snapshot(case)
    with pytest.raises(WorkflowError):  # still a draft
        services.review_documents(case, admin_user, items=review_items(scheme), outcome="accepted")
    assert snapshot(case) == before
    services.submit_application(case, candidate)
    before = snapshot(case)
    for person in (candidate, committee, lsp_head):
        with pytest.raises(NotAllowed):
            services.review_documents(case, person, items=review_items(scheme), outcome="accepted")
    assert snapshot(case) == before


# --- withdraw -------------------------------------------------------------------------------------------------


def test_withdraw(scheme, candidate, admin_user, on_commit):
    case = submitted_case(scheme, candidate)
    before = snapshot(case)
    with pytest.raises(WorkflowError):
        services.withdraw(case, candidate, reason="  ")
    with pytest.raises(NotAllowed):
        services.withdraw(case, admin_user, reason="x")
    assert snapshot(case) == before
    on_commit(services.withdraw, case, candidate, reason="Sudah tidak berminat")
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert Notification.objects.filter(recipient=admin_user, title__contains="ditarik").exists()
    with pytest.raises(WorkflowError):
        services.withdraw(case, candidate, reason="lagi")


def test_progress_stepper(scheme, candidate):
    case = services.create_case(candidate, scheme)
    assert [s for _i, _l, s in services.progress(case)] == ["current", "todo", "todo", "todo", "todo"]
    case.status = "awaiting_decision"
    assert [s for _i, _l, s in services.progress(case)] == ["done", "done", "done", "done", "current"]


def test_resubmission_needs_a_new_document_for_each_item_to_fix(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    bad = Requirement.objects.filter(scheme=scheme, kind="administrative").last()
    services.review_documents(case, admin_user, items=review_items(scheme, bad={bad.pk}), outcome="returned",
                              note="Ganti")
    before = snapshot(case)
    with pytest.raises(WorkflowError) as exc:
        services.submit_application(case, candidate)
    assert exc.value.field_errors["__all__"] == [f"Perbaikan diminta: unggah dokumen baru untuk “{bad.text}”."]
    assert snapshot(case) == before


def test_unused_basic_alternatives_are_not_items_to_fix(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    basic = list(Requirement.objects.filter(scheme=scheme, kind="basic"))
    admin_req = Requirement.objects.filter(scheme=scheme, kind="administrative").first()
    items = review_items(scheme, bad={r.pk for r in basic[1:]} | {admin_req.pk})
    for i in items:
        if i["requirement_id"] in {r.pk for r in basic[1:]}:
            i["comment"] = ""
    services.review_documents(case, admin_user, items=items, outcome="returned", note="KTP buram")
    review = services.latest_review(case)
    assert [i.requirement for i in review.items_to_fix()] == [admin_req]
