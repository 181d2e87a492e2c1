"""Every act of S2.2–S4.5: happy path and refusals (role, status, data), nothing changed on refusal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from kompeten.assessment import services as S
from kompeten.assessment.models import (
    Adjustment,
    Agreement,
    Apl02Review,
    AssessmentPlan,
    AssessmentRecord,
    Attendance,
    Consultation,
    Feedback,
    Report,
    ResourceCheck,
    Review,
)
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Notification
from tests.assessment.conftest import ak03_answers, all_k, plan_data

pytestmark = pytest.mark.django_db(transaction=False)

TODAY = dt.date(2026, 12, 2)


def approve(event, assessor, lead):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead)


# --- S2.2 plan ---------------------------------------------------------------------------------------------


def test_plan_submit_return_resubmit_approve_keeps_versions(event, assessor, lead_assessor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        p1 = S.submit_plan(event, assessor.user, data=plan_data(event))
    assert p1.version == 1 and p1.status == "submitted"
    assert Notification.objects.filter(recipient=lead_assessor).exists()
    S.return_plan(event, lead_assessor, comments="Tambahkan IA.05 untuk pengetahuan.")
    p1.refresh_from_db()
    assert p1.status == "returned" and p1.review_comments
    p2 = S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead_assessor)
    p2.refresh_from_db()
    assert p2.version == 2 and p2.status == "approved" and S.plan_approved(event)
    assert AssessmentPlan.objects.filter(event=event).count() == 2
    assert ActionLog.objects.filter(act="submit_plan").count() == 2


def test_plan_refused_for_unassigned_assessor(event, other_assessor):
    with pytest.raises(NotAllowed):
        S.submit_plan(event, other_assessor.user, data=plan_data(event))
    assert not AssessmentPlan.objects.exists()


def test_plan_missing_unit_and_foreign_instrument_refused(event, assessor):
    data = plan_data(event)
    first = next(iter(data["mapa01"]["units"]))
    del data["mapa01"]["units"][first]
    second = list(data["mapa01"]["units"])[0]
    data["mapa01"]["units"][second]["methods"] = {"observasi": "IA.11"}  # not an instrument of this scheme
    with pytest.raises(WorkflowError) as exc:
        S.submit_plan(event, assessor.user, data=data)
    assert "units" in exc.value.field_errors and f"unit_{second}" in exc.value.field_errors
    assert not AssessmentPlan.objects.exists()


def test_plan_without_potensi_or_map_refused(event, assessor):
    data = plan_data(event)
    data["mapa01"]["potensi"] = []
    data["mapa02"] = {}
    with pytest.raises(WorkflowError) as exc:
        S.submit_plan(event, assessor.user, data=data)
    assert {"potensi", "mapa02"} <= set(exc.value.field_errors)


def test_approve_refusals(event, assessor, lead_assessor, candidate):
    with pytest.raises(WorkflowError):
        S.approve_plan(event, lead_assessor)  # nothing submitted
    S.submit_plan(event, assessor.user, data=plan_data(event))
    with pytest.raises(NotAllowed):
        S.approve_plan(event, assessor.user)  # assessors do not approve their own plan
    with pytest.raises(NotAllowed):
        S.approve_plan(event, candidate)
    with pytest.raises(WorkflowError):
        S.return_plan(event, lead_assessor, comments="  ")
    assert AssessmentPlan.objects.get().status == "submitted"


def test_plan_refused_on_closed_event(event, assessor):
    event.status = "closed"
    event.save()
    with pytest.raises(WorkflowError):
        S.submit_plan(event, assessor.user, data=plan_data(event))


# --- S3.1 resources and check-in ----------------------------------------------------------------------------


def test_check_resources_by_tuk_head(event, tuk_head):
    rc = S.check_resources(event, tuk_head, items={"tuk": True, "assessors": True, "equipment": True,
                                                   "candidates": True, "instruments": True})
    assert rc.all_ok and rc.checked_by == tuk_head


def test_check_resources_incomplete_needs_note(event, admin_user):
    with pytest.raises(WorkflowError):
        S.check_resources(event, admin_user, items={"tuk": True})
    assert not ResourceCheck.objects.exists()
    rc = S.check_resources(event, admin_user, items={"tuk": True}, note="Proyektor rusak")
    assert not rc.all_ok


def test_check_resources_refused_for_assessor_and_other_tuk_head(event, assessor, scheme):
    from kompeten.core.models import Role
    from kompeten.sites.models import Site
    from tests.conftest import make_user

    other_site = Site.objects.create(code="TUK-002", name="TUK Lain", type="sewaktu", address="x")
    other_head = make_user("ketua2", Role.TUK_HEAD, site=other_site)
    for user in (assessor.user, other_head):
        with pytest.raises(NotAllowed):
            S.check_resources(event, user, items={})
    assert not ResourceCheck.objects.exists()


def _ready_event(event, assessor, lead, admin):
    approve(event, assessor, lead)
    S.check_resources(event, admin, items={k: True for k in ["tuk", "assessors", "equipment", "candidates",
                                                              "instruments"]})


def test_check_in_present(event_day, event, assessor, lead_assessor, admin_user, tuk_head, make_case):
    case = make_case("ready")
    _ready_event(event, assessor, lead_assessor, admin_user)
    S.check_in(case, tuk_head)
    case.refresh_from_db()
    assert case.status == "in_assessment" and Attendance.objects.get(case=case).present


def test_check_in_refused_without_plan_or_resources(event_day, event, assessor, lead_assessor, admin_user, make_case):
    case = make_case("ready")
    with pytest.raises(WorkflowError, match="belum disetujui"):
        S.check_in(case, admin_user)
    approve(event, assessor, lead_assessor)
    with pytest.raises(WorkflowError, match="Kesiapan"):
        S.check_in(case, admin_user)
    S.check_resources(event, admin_user, items={"tuk": True}, note="kurang")
    with pytest.raises(WorkflowError):
        S.check_in(case, admin_user)
    case.refresh_from_db()
    assert case.status == "ready" and not Attendance.objects.exists()


def test_absent_candidate_noted_without_status_change(event_day, make_case, admin_user):
    case = make_case("ready")
    S.check_in(case, admin_user, present=False, note="Sakit")
    case.refresh_from_db()
    assert case.status == "ready"
    assert Attendance.objects.get(case=case).present is False
    assert ActionLog.objects.filter(act="record_absence").exists()


def test_check_in_refusals(make_case, assessor, candidate):
    case = make_case("ready")
    for user in (assessor.user, candidate):
        with pytest.raises(NotAllowed):
            S.check_in(case, user, present=False)
    case2 = make_case("agreed")
    from tests.conftest import make_user

    with pytest.raises(WorkflowError):
        S.check_in(case2, make_user("adm2", "admin"), present=False)
    assert not Attendance.objects.exists()


# --- S2.3 consultation and AK.01 ---------------------------------------------------------------------------


def test_consultation(make_case, assessor, candidate, other_assessor):
    case = make_case("confirmed")
    with pytest.raises(WorkflowError):
        S.record_consultation(case, assessor.user, notes="")
    with pytest.raises(NotAllowed):
        S.record_consultation(case, other_assessor.user, notes="x")
    with pytest.raises(NotAllowed):
        S.record_consultation(case, candidate, notes="x")
    assert not Consultation.objects.exists()
    S.record_consultation(case, assessor.user, notes="Dijelaskan proses dan hak banding.")
    assert Consultation.objects.get(case=case).recorded_by == assessor.user


AK01 = {"evidence": ["portofolio", "observasi", "lisan"], "date": TODAY, "time": "08.00–16.00",
        "site_name": "TUK Politeknik Digital"}


def test_agreement_both_sign_then_agreed(make_case, assessor, candidate, django_capture_on_commit_callbacks):
    case = make_case("confirmed")
    with django_capture_on_commit_callbacks(execute=True):
        S.sign_agreement(case, assessor.user, **AK01)
    assert Notification.objects.filter(recipient=candidate).exists()
    case.refresh_from_db()
    assert case.status == "confirmed" and S.agreement_signed_by(case, assessor.user)
    assert not S.agreement_signed_by(case, candidate)
    S.sign_agreement(case, candidate)
    case.refresh_from_db()
    assert case.status == "agreed"
    assert ActionLog.objects.filter(act="complete_agreement", status_after="agreed").exists()


def test_candidate_cannot_sign_first(make_case, candidate):
    case = make_case("confirmed")
    with pytest.raises(WorkflowError):
        S.sign_agreement(case, candidate)
    assert not Agreement.objects.exists()


def test_second_signature_refused(make_case, assessor, candidate):
    case = make_case("confirmed")
    S.sign_agreement(case, assessor.user, **AK01)
    signed = Agreement.objects.get().assessor_signed_at
    with pytest.raises(WorkflowError, match="sudah"):
        S.sign_agreement(case, assessor.user, **{**AK01, "time": "09.00"})
    ag = Agreement.objects.get()
    assert ag.assessor_signed_at == signed and ag.time == AK01["time"]


def test_candidate_second_signature_refused_after_complete(make_case, assessor, candidate):
    case = make_case("confirmed")
    S.sign_agreement(case, assessor.user, **AK01)
    S.sign_agreement(case, candidate)
    with pytest.raises(WorkflowError):  # the case has moved on to agreed
        S.sign_agreement(case, candidate)


def test_agreement_bad_data_and_wrong_people(make_case, assessor, other_assessor, tuk_head):
    case = make_case("confirmed")
    with pytest.raises(WorkflowError) as exc:
        S.sign_agreement(case, assessor.user, evidence=[], date=None, time="", site_name="")
    assert {"evidence", "date", "time", "site_name"} <= set(exc.value.field_errors)
    with pytest.raises(WorkflowError):
        S.sign_agreement(case, assessor.user, **{**AK01, "evidence": ["lainnya"]})
    for user in (other_assessor.user, tuk_head):
        with pytest.raises(NotAllowed):
            S.sign_agreement(case, user, **AK01)
    assert not Agreement.objects.exists()
    case.status = "scheduled"
    case.save()
    with pytest.raises(WorkflowError):
        S.sign_agreement(case, assessor.user, **AK01)


# --- S2.4 AK.07 ---------------------------------------------------------------------------------------------


def ak07_data(needed_first=True):
    rows = [{"needed": False} for _ in range(8)]
    if needed_first:
        rows[0] = {"needed": True, "options": [1], "note": ""}
    return {"potensi": ["3"], "characteristics": rows,
            "results": {"result": "Pertanyaan lisan dengan gambar", "benchmark": "SKKNI", "method": "Lisan",
                        "instrument": "FR.IA.07"}}


def test_adjustment_recorded_and_replaced(make_case, assessor):
    case = make_case("agreed")
    S.record_adjustment(case, assessor.user, data=ak07_data())
    adj = Adjustment.objects.get(case=case)
    assert adj.characteristics[0] == {"needed": True, "options": [1], "note": ""}
    S.record_adjustment(case, assessor.user, data=ak07_data(needed_first=False), reason="Asesi ternyata tidak perlu")
    assert Adjustment.objects.count() == 1
    assert not any(r["needed"] for r in Adjustment.objects.get().characteristics)


def test_adjustment_refusals(make_case, assessor, candidate):
    case = make_case("confirmed")
    bad = ak07_data()
    bad["characteristics"][2] = {}  # no Ya/Tidak
    with pytest.raises(WorkflowError) as exc:
        S.record_adjustment(case, assessor.user, data=bad)
    assert "char_2" in exc.value.field_errors
    bad = ak07_data()
    bad["characteristics"][0] = {"needed": True, "options": [], "note": ""}
    with pytest.raises(WorkflowError):
        S.record_adjustment(case, assessor.user, data=bad)
    with pytest.raises(NotAllowed):
        S.record_adjustment(case, candidate, data=ak07_data())
    ready = make_case("ready")
    with pytest.raises(WorkflowError):
        S.record_adjustment(ready, assessor.user, data=ak07_data())
    assert not Adjustment.objects.exists()


# --- S2.5 APL.02 review -------------------------------------------------------------------------------------


def test_recommend_continue_and_stop(make_case, assessor):
    a, b = make_case("agreed"), make_case("agreed")
    S.recommend_continue(a, assessor.user, note="Bukti memadai")
    S.recommend_stop(b, assessor.user, reason="Bukti pengalaman kerja tidak ada")
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, b.status) == ("ready", "not_continued")
    assert Apl02Review.objects.get(case=a).can_continue and not Apl02Review.objects.get(case=b).can_continue


def test_recommend_refusals(make_case, assessor, other_assessor, candidate):
    case = make_case("agreed")
    with pytest.raises(WorkflowError):
        S.recommend_stop(case, assessor.user, reason=" ")
    with pytest.raises(NotAllowed):
        S.recommend_continue(case, other_assessor.user)
    with pytest.raises(NotAllowed):
        S.recommend_continue(case, candidate)
    confirmed = make_case("confirmed")
    with pytest.raises(WorkflowError):
        S.recommend_continue(confirmed, assessor.user)
    case.refresh_from_db()
    assert case.status == "agreed" and not Apl02Review.objects.exists()


# --- S4.2/S4.3 AK.02 ----------------------------------------------------------------------------------------


def test_record_assessment_all_k(make_case, assessor):
    case = make_case("in_assessment")
    rec = S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    case.refresh_from_db()
    assert case.status == "assessed" and rec.overall == "K"
    assert rec.units.count() == case.scheme.units.count()


def test_one_bk_unit_makes_overall_bk(make_case, assessor):
    case = make_case("in_assessment")
    results = all_k(case)
    first = next(iter(results))
    results[first]["result"] = "BK"
    with pytest.raises(WorkflowError) as exc:  # follow-up required for BK
        S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY)
    assert "follow_up" in exc.value.field_errors
    rec = S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY,
                              follow_up="Ulangi unit pertama")
    assert rec.overall == "BK"


def test_missing_units_named(make_case, assessor):
    case = make_case("in_assessment")
    results = all_k(case)
    units = list(case.scheme.units.all())
    del results[units[-1].pk]
    with pytest.raises(WorkflowError, match=units[-1].code):
        S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY)
    case.refresh_from_db()
    assert case.status == "in_assessment" and not AssessmentRecord.objects.exists()


def test_unit_with_bk_criterion_cannot_be_k(make_case, assessor):
    from kompeten.catalog.models import Criterion

    case = make_case("in_assessment")
    crit = Criterion.objects.filter(element__unit__scheme=case.scheme).first()
    with pytest.raises(WorkflowError, match="KUK"):
        S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY,
                            criteria={crit.pk: "BK"})
    assert not AssessmentRecord.objects.exists()
    rec = S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY,
                              criteria={crit.pk: "K"})
    assert rec.criteria.get(criterion=crit).result == "K"  # every KUK is recorded, from the evidence


def test_record_assessment_refusals(make_case, assessor, other_assessor, candidate, scheme):
    from kompeten.catalog.models import Criterion

    case = make_case("in_assessment")
    results = all_k(case)
    next(iter(results.values()))["methods"] = []
    with pytest.raises(WorkflowError):  # a result without evidence
        S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY)
    with pytest.raises(WorkflowError):  # finished before started
        S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY,
                            finished_on=TODAY - dt.timedelta(days=1))
    foreign = Criterion.objects.exclude(element__unit__scheme=scheme).first()
    if foreign is None:
        foreign_id = 999999
    else:
        foreign_id = foreign.pk
    with pytest.raises(WorkflowError):
        S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY,
                            criteria={foreign_id: "K"})
    for user in (other_assessor.user, candidate):
        with pytest.raises(NotAllowed):
            S.record_assessment(case, user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    ready = make_case("ready")
    with pytest.raises(WorkflowError):
        S.record_assessment(ready, assessor.user, unit_results=all_k(ready), started_on=TODAY, finished_on=TODAY)
    assert not AssessmentRecord.objects.exists()


# --- S4.1 feedback, S4.4 AK.06, S4.5 AK.05 ------------------------------------------------------------------


@pytest.fixture
def assessed(make_case, assessor):
    case = make_case("in_assessment")
    S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    case.refresh_from_db()
    return case


def test_feedback_each_once(assessed, assessor, candidate):
    S.give_feedback(assessed, assessor.user, text="Kuat di HTML, kembangkan pengujian.")
    assert S.feedback_given_by(assessed, assessor.user) and not S.feedback_given_by(assessed, candidate)
    with pytest.raises(WorkflowError):
        S.give_feedback(assessed, assessor.user, text="lagi")
    S.give_feedback(assessed, candidate, answers=ak03_answers(), other="Terima kasih")
    with pytest.raises(WorkflowError):
        S.give_feedback(assessed, candidate, answers=ak03_answers())
    fb = Feedback.objects.get()
    assert fb.assessor_text.startswith("Kuat") and len(fb.ak03) == 10 and S.feedback_complete(assessed)


def test_feedback_refusals(assessed, assessor, candidate, other_assessor, make_case):
    with pytest.raises(WorkflowError):
        S.give_feedback(assessed, assessor.user, text="")
    answers = ak03_answers()
    answers[4] = {"comment": "?"}
    with pytest.raises(WorkflowError, match="5"):
        S.give_feedback(assessed, candidate, answers=answers)
    with pytest.raises(NotAllowed):
        S.give_feedback(assessed, other_assessor.user, text="x")
    fb = Feedback.objects.filter(case=assessed).first()
    assert fb is None or (fb.assessor_at is None and fb.candidate_at is None)
    with pytest.raises(WorkflowError):
        S.give_feedback(make_case("in_assessment"), assessor.user, text="x")


REVIEW = {"principles": {"rencana": ["validitas", "reliabel"], "implementasi": ["adil"]}, "dimensions": ["task"],
          "principles_recommendation": "—", "comments": "Sesuai"}


def test_review_requires_both_feedbacks(assessed, assessor, candidate, lead_assessor):
    with pytest.raises(WorkflowError, match="umpan balik"):
        S.review_assessment(assessed, lead_assessor, data=REVIEW)
    S.give_feedback(assessed, assessor.user, text="ok")
    with pytest.raises(WorkflowError):
        S.review_assessment(assessed, lead_assessor, data=REVIEW)
    S.give_feedback(assessed, candidate, answers=ak03_answers())
    with pytest.raises(WorkflowError):
        S.review_assessment(assessed, lead_assessor, data={"principles": {}, "dimensions": []})
    assert not Review.objects.exists()
    S.review_assessment(assessed, lead_assessor, data=REVIEW)
    assessed.refresh_from_db()
    assert assessed.status == "reviewed" and Review.objects.get().principles["rencana"] == ["reliabel", "validitas"]


def test_review_refused_for_candidate_and_other_assessor(assessed, assessor, candidate, other_assessor):
    S.give_feedback(assessed, assessor.user, text="ok")
    S.give_feedback(assessed, candidate, answers=ak03_answers())
    for user in (candidate, other_assessor.user):
        with pytest.raises(NotAllowed):
            S.review_assessment(assessed, user, data=REVIEW)
    S.review_assessment(assessed, assessor.user, data=REVIEW)  # the case's own assessor may


@pytest.fixture
def reviewed(assessed, assessor, candidate):
    S.give_feedback(assessed, assessor.user, text="ok")
    S.give_feedback(assessed, candidate, answers=ak03_answers())
    S.review_assessment(assessed, assessor.user, data=REVIEW)
    assessed.refresh_from_db()
    return assessed


def test_report_submit_and_forward(reviewed, assessor, tuk_head, admin_user, committee,
                                   django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rep = S.submit_report(reviewed, assessor.user, data={"aspects": "Asesi siap", "suggestions": "—"})
    assert rep.result == "K" and rep.bk_units == ""
    assert Notification.objects.filter(recipient=tuk_head).exists()
    reviewed.refresh_from_db()
    assert reviewed.status == "reported"
    with django_capture_on_commit_callbacks(execute=True):
        S.forward_report(reviewed, tuk_head, note="Lengkap")
    reviewed.refresh_from_db()
    assert reviewed.status == "awaiting_decision" and Report.objects.get().forwarded_by == tuk_head
    assert Notification.objects.filter(recipient=committee).exists()
    assert Notification.objects.filter(recipient=admin_user).exists()


def test_report_lists_bk_units(make_case, assessor, candidate):
    case = make_case("in_assessment")
    results = all_k(case)
    unit = case.scheme.units.first()
    results[unit.pk]["result"] = "BK"
    S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY,
                        follow_up="Ulang")
    case.refresh_from_db()
    S.give_feedback(case, assessor.user, text="ok")
    S.give_feedback(case, candidate, answers=ak03_answers())
    S.review_assessment(case, assessor.user, data=REVIEW)
    rep = S.submit_report(case, assessor.user, data={"aspects": "x"})
    assert rep.result == "BK" and unit.code in rep.bk_units


def test_report_refusals(reviewed, assessor, other_assessor, tuk_head, admin_user):
    with pytest.raises(WorkflowError):
        S.submit_report(reviewed, assessor.user, data={"aspects": ""})
    for user in (other_assessor.user, tuk_head):
        with pytest.raises(NotAllowed):
            S.submit_report(reviewed, user, data={"aspects": "x"})
    with pytest.raises(WorkflowError):
        S.forward_report(reviewed, tuk_head)  # not reported yet
    reviewed.refresh_from_db()
    assert reviewed.status == "reviewed" and not Report.objects.exists()
    S.submit_report(reviewed, assessor.user, data={"aspects": "x"})
    with pytest.raises(PermissionDenied):
        S.forward_report(reviewed, admin_user)  # only the head of the case's TUK
    with pytest.raises(NotAllowed):
        S.forward_report(reviewed, assessor.user)
    reviewed.refresh_from_db()
    assert reviewed.status == "reported"
