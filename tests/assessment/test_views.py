"""Screens of the assessment acts, driven with the test client as the right (and the wrong) person."""

import datetime as dt

import pytest
from django.urls import reverse

from kompeten.assessment import services as S
from kompeten.assessment.models import Agreement, AssessmentPlan, AssessmentRecord, Feedback, Report
from tests.assessment.conftest import ak03_answers, all_k, give_evidence, plan_data
from tests.walk_helpers import ia01

TODAY = dt.date(2026, 12, 2)


def login(client, user):
    client.force_login(user)
    return client


def plan_post(event):
    post = {"potensi": ["1"], "purpose": "sertifikasi", "benchmark": ["standar"]}
    for u in event.scheme.units.all():
        post.update({f"u{u.pk}_evidence": "Kode program", f"u{u.pk}_types": ["L"], f"u{u.pk}_versions": [ia01(u.scheme)]})
    for k in ["karakteristik", "kontekstualisasi", "saran", "penyesuaian", "integrasi"]:
        post[f"mod_{k}"] = "0"
    post["map_IA.01"] = ["1"]
    return post


def test_submit_plan_page(client, event, assessor):
    login(client, assessor.user)
    url = reverse("assessment:submit_plan", args=[event.pk])
    assert client.get(url).status_code == 200
    bad = plan_post(event)
    bad["potensi"] = []
    bad["benchmark_text"] = "Ketikan saya"
    r = client.post(url, bad)
    assert r.status_code == 200 and "potensi asesi" in r.content.decode() and "Ketikan saya" in r.content.decode()
    assert not AssessmentPlan.objects.exists()
    r = client.post(url, plan_post(event))
    assert r.status_code == 302 and AssessmentPlan.objects.get().status == "submitted"


def test_submit_plan_page_forbidden_for_candidate(client, event, candidate):
    login(client, candidate)
    assert client.get(reverse("assessment:submit_plan", args=[event.pk])).status_code == 403


def test_plan_review_approve_and_return(client, event, assessor, lead_assessor):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    login(client, lead_assessor)
    url = reverse("assessment:plan_review", args=[event.pk])
    r = client.get(url)
    assert r.status_code == 200 and "Setujui" in r.content.decode()
    r = client.post(url, {"action": "return", "comments": ""})
    assert r.status_code == 200 and AssessmentPlan.objects.get().status == "submitted"
    r = client.post(url, {"action": "return", "comments": "Perbaiki bukti unit 1"})
    assert r.status_code == 302 and AssessmentPlan.objects.get().status == "returned"
    S.submit_plan(event, assessor.user, data=plan_data(event))
    assert client.post(url, {"action": "approve"}).status_code == 302
    assert S.plan_approved(event)


def test_plan_review_read_only_for_assessor_forbidden_for_candidate(client, event, assessor, candidate):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    url = reverse("assessment:plan_review", args=[event.pk])
    login(client, assessor.user)
    r = client.get(url)
    assert r.status_code == 200 and "Setujui rencana" not in r.content.decode()
    assert client.post(url, {"action": "approve"}).status_code == 403
    assert AssessmentPlan.objects.get().status == "submitted"
    client.logout()
    login(client, candidate)
    assert client.get(url).status_code == 403


def test_resources_page(client, event, tuk_head):
    login(client, tuk_head)
    url = reverse("assessment:check_resources", args=[event.pk])
    assert client.get(url).status_code == 200
    r = client.post(url, {"item_tuk": "on"})
    assert r.status_code == 200 and "Catatan wajib" in r.content.decode()
    r = client.post(url, {f"item_{k}": "on" for k in ["tuk", "assessors", "equipment", "candidates", "instruments"]})
    assert r.status_code == 302 and S.latest_resource_check(event).all_ok


def test_agreement_pages(client, make_case, assessor, candidate):
    case = make_case("confirmed")
    url = reverse("assessment:sign_agreement", args=[case.pk])
    login(client, assessor.user)
    r = client.post(url, {"evidence": [], "time": "08.00", "site_name": "TUK A"})
    body = r.content.decode()
    assert r.status_code == 200 and "sedikitnya satu bukti" in body and "TUK A" in body
    r = client.post(url, {"evidence": ["portofolio"], "date": "2026-12-02", "time": "08.00", "site_name": "TUK A"})
    assert r.status_code == 302
    client.logout()
    login(client, candidate)
    r = client.get(url)
    assert r.status_code == 200 and "hanya dapat diakses oleh orang tertentu saja" in r.content.decode()
    assert client.post(url, {}).status_code == 200  # must tick "I have read"
    r = client.post(url, {"agree": "on"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == "agreed" and Agreement.objects.get().candidate_signed_at


def test_agreement_page_forbidden_for_other_assessor(client, make_case, other_assessor):
    case = make_case("confirmed")
    login(client, other_assessor.user)
    assert client.get(reverse("assessment:sign_agreement", args=[case.pk])).status_code == 403


def test_consultation_and_adjustment_pages(client, make_case, assessor):
    case = make_case("confirmed")
    login(client, assessor.user)
    assert client.post(reverse("assessment:consultation", args=[case.pk]), {"notes": "Dijelaskan"}).status_code == 302
    url = reverse("assessment:adjustment", args=[case.pk])
    assert client.get(url).status_code == 200
    post = {"potensi": ["3"], **{f"char_{i}": "0" for i in range(8)}}
    post["char_0"] = "1"
    r = client.post(url, post)
    assert r.status_code == 200 and "Pilih penyesuaian" in r.content.decode()
    post.update({"char_0_options": ["1"], "res_result": "Lisan dengan gambar"})
    assert client.post(url, post).status_code == 302


def test_apl02_review_page(client, make_case, assessor):
    case = make_case("agreed")
    login(client, assessor.user)
    url = reverse("assessment:apl02_review", args=[case.pk])
    r = client.get(url)
    assert r.status_code == 200 and case.scheme.units.first().code in r.content.decode()
    r = client.post(url, {"action": "stop", "stop-reason": ""})
    assert r.status_code == 200
    case.refresh_from_db()
    assert case.status == "agreed"
    assert client.post(url, {"action": "continue", "go-note": "ok"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "ready"


def test_check_in_page_shows_blockers(client, event_day, make_case, admin_user):
    case = make_case("ready")
    login(client, admin_user)
    url = reverse("assessment:check_in", args=[case.pk])
    assert "Belum" in client.get(url).content.decode()
    r = client.post(url, {"present": "1"})
    assert r.status_code == 200 and "belum disetujui" in r.content.decode()
    assert client.post(url, {"present": "0", "note": "Sakit"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "ready"


def test_ak02_page(client, make_case, assessor):
    case = make_case("in_assessment")
    login(client, assessor.user)
    url = reverse("assessment:record_assessment", args=[case.pk])
    assert client.get(url).status_code == 200
    units = list(case.scheme.units.all())
    post = {"started_on": "2026-12-02", "finished_on": "2026-12-02", "comments": "Catatan saya"}
    for u in units[:-1]:
        post.update({f"u{u.pk}_methods": ["observasi"], f"u{u.pk}_result": "K"})
    r = client.post(url, post)
    body = r.content.decode()
    assert r.status_code == 200 and units[-1].code in body and "Catatan saya" in body
    post.update({f"u{units[-1].pk}_methods": ["lisan"], f"u{units[-1].pk}_result": "K"})
    assert client.post(url, post).status_code == 302
    assert AssessmentRecord.objects.get().overall == "K"


def _assessed(case, assessor):
    S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    case.refresh_from_db()


def test_feedback_pages(client, make_case, assessor, candidate):
    case = make_case("in_assessment")
    _assessed(case, assessor)
    url = reverse("assessment:feedback", args=[case.pk])
    login(client, assessor.user)
    assert client.post(url, {"text": "Bagus"}).status_code == 302
    client.logout()
    login(client, candidate)
    r = client.get(url)
    assert r.status_code == 200 and "Asesor menggunakan keterampilan komunikasi yang efektif" in r.content.decode()
    post = {f"q{i}_yes": "1" for i in range(9)}
    r = client.post(url, post)
    assert r.status_code == 200 and Feedback.objects.get().candidate_at is None
    post["q9_yes"] = "0"
    assert client.post(url, post).status_code == 200  # FR.AK.02 not co-signed yet
    post["sign_ak02"] = "on"
    assert client.post(url, post).status_code == 302
    assert Feedback.objects.get().ak03[9]["yes"] is False
    assert AssessmentRecord.objects.get(case=case).candidate_signed_at is not None


def test_review_report_forward_pages(client, make_case, assessor, candidate, tuk_head):
    case = make_case("in_assessment")
    _assessed(case, assessor)
    S.give_feedback(case, assessor.user, text="ok")
    S.give_feedback(case, candidate, answers=ak03_answers())
    login(client, assessor.user)
    url = reverse("assessment:review", args=[case.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 200
    assert client.post(url, {"p_rencana": ["validitas"], "dimensions": ["task"]}).status_code == 302
    url = reverse("assessment:report", args=[case.pk])
    assert client.post(url, {"aspects": ""}).status_code == 200
    assert client.post(url, {"aspects": "Baik"}).status_code == 302
    client.logout()
    login(client, tuk_head)
    url = reverse("assessment:forward_report", args=[case.pk])
    assert "Baik" in client.get(url).content.decode()
    assert client.post(url, {"note": ""}).status_code == 302
    case.refresh_from_db()
    assert case.status == "awaiting_decision" and Report.objects.get().forwarded_at


def test_reports_list_fixed_queries(client, make_case, assessor, candidate, tuk_head, django_assert_max_num_queries):
    from kompeten.assessment.models import Report
    from tests.conftest import make_user

    for i in range(5):
        case = make_case("reviewed", candidate=make_user(f"asesi{i}", "candidate"))
        _assessed_record = AssessmentRecord.objects.create(case=case, started_on=TODAY, finished_on=TODAY,
                                                           overall="K", recorded_by=assessor.user)
        Report.objects.create(case=case, result=_assessed_record.overall, aspects="x", submitted_by=assessor.user)
    login(client, tuk_head)
    with django_assert_max_num_queries(12):
        r = client.get(reverse("assessment:reports"))
    assert r.status_code == 200 and r.content.decode().count("Teruskan") >= 5
    r = client.get(reverse("assessment:reports"), {"q": "asesi3", "status": "waiting"})
    assert "Asesi3" in r.content.decode() and "Asesi1" not in r.content.decode()


def test_reports_list_empty_and_forbidden(client, candidate, admin_user):
    login(client, admin_user)
    assert "Belum ada laporan" in client.get(reverse("assessment:reports")).content.decode()
    client.logout()
    login(client, candidate)
    assert client.get(reverse("assessment:reports")).status_code == 403


# --- PDFs -------------------------------------------------------------------------------------------------


def _full_case(make_case, assessor, candidate):
    case = make_case("confirmed")
    S.sign_agreement(case, assessor.user, evidence=["portofolio", "lainnya"], evidence_other="Video", date=TODAY,
                     time="08.00", site_name="TUK A")
    S.record_adjustment(case, assessor.user, data={
        "potensi": ["3"], "characteristics": [{"needed": True, "options": [0], "note": "x"}]
        + [{"needed": False}] * 7, "results": {"result": "Pembaca"}})
    S.sign_agreement(case, candidate)
    case.refresh_from_db()
    case.status = "in_assessment"
    case.save()
    give_evidence(case, assessor.user)  # the day's observation
    _assessed(case, assessor)
    S.give_feedback(case, assessor.user, text="ok")
    S.give_feedback(case, candidate, answers=ak03_answers())
    S.review_assessment(case, assessor.user, data={"principles": {"rencana": ["adil"]}, "dimensions": ["task"]})
    S.submit_report(case, assessor.user, data={"aspects": "Baik"})
    return case


@pytest.mark.parametrize("form", ["ak01", "ak02", "ak03", "ak05", "ak06", "ak07"])
def test_case_pdfs_render_for_candidate_and_staff(client, make_case, assessor, candidate, lsp_head, form):
    case = _full_case(make_case, assessor, candidate)
    for user in (candidate, lsp_head):
        client.force_login(user)
        r = client.get(reverse(f"assessment:{form}_pdf", args=[case.pk]))
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
        assert r.content.startswith(b"%PDF") and len(r.content) > 1000


def test_case_pdf_forbidden_for_other_candidate(client, make_case, assessor, candidate):
    from tests.conftest import make_user

    case = _full_case(make_case, assessor, candidate)
    client.force_login(make_user("lain", "candidate"))
    assert client.get(reverse("assessment:ak02_pdf", args=[case.pk])).status_code == 403


def test_missing_form_pdf_gives_message(client, make_case, candidate):
    case = make_case("confirmed")
    client.force_login(candidate)
    assert client.get(reverse("assessment:ak01_pdf", args=[case.pk])).status_code == 409


@pytest.mark.parametrize("form", ["mapa01", "mapa02"])
def test_mapa_pdfs(client, event, assessor, lead_assessor, form):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead_assessor)
    client.force_login(lead_assessor)
    r = client.get(reverse(f"assessment:{form}_pdf", args=[event.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and len(r.content) > 1000
    r = client.get(reverse(f"assessment:{form}_pdf", args=[event.pk]), {"v": "1"})
    assert r.status_code == 200


def test_panels_on_case_and_event_pages(client, make_case, assessor, candidate, event, lead_assessor):
    case = _full_case(make_case, assessor, candidate)
    client.force_login(candidate)
    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "FR.AK.01" in body and "FR.AK.02" in body and reverse("assessment:ak02_pdf", args=[case.pk]) in body
    S.submit_plan(event, assessor.user, data=plan_data(event))
    client.force_login(lead_assessor)
    body = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert reverse("assessment:mapa01_pdf", args=[event.pk]) in body


def test_act_buttons_and_done_checks(make_case, assessor, candidate):
    from kompeten.cases.workflow import allowed_acts

    case = make_case("confirmed")
    assert "sign_agreement" in [a.code for a in allowed_acts(assessor.user, case)]
    S.sign_agreement(case, assessor.user, evidence=["portofolio"], date=TODAY, time="08.00", site_name="TUK")
    case.refresh_from_db()
    assert "sign_agreement" not in [a.code for a in allowed_acts(assessor.user, case)]
    assert "sign_agreement" in [a.code for a in allowed_acts(candidate, case)]


def test_candidate_waits_for_assessor_before_signing(client, make_case, candidate):
    case = make_case("confirmed")
    client.force_login(candidate)
    body = client.get(reverse("assessment:sign_agreement", args=[case.pk])).content.decode()
    assert "Asesor belum mengisi" in body and 'name="agree"' not in body
