"""The assessment day: autosaved observation per item, the candidate's page, the roll-up KUK → element → unit,
FR.AK.02 filled from it, and records that are never edited (corrections for AK.02, AK.07, APL.02 review)."""

import datetime as dt

import pytest
from django.urls import reverse

from kompeten.assessment import observation as O
from kompeten.assessment import rollup
from kompeten.assessment import services as S
from kompeten.assessment.models import Adjustment, Apl02Review, AssessmentRecord, ItemResult
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog
from tests.assessment.conftest import all_k, give_evidence, plan_data
from tests.assessment.test_services import ak07_data

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def planned(event, assessor, lead_assessor):
    S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead_assessor)
    return event


@pytest.fixture
def case(planned, make_case):
    return make_case("in_assessment", evidence=False)


def ia01(case):
    return next(v for v in O.plan_versions(case) if v.instrument.form == "IA.01")


def _pdf_ok(resp):
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"


# --- autosave ------------------------------------------------------------------------------------------


def test_tap_is_saved_idempotently_and_survives_reload(client, case, assessor):
    version = ia01(case)
    item = version.items.first()
    client.force_login(assessor.user)
    url = reverse("assessment:save_item", args=[case.pk])
    hx = {"HTTP_HX_REQUEST": "true"}
    for _ in range(2):  # the same tap twice (a retry): one row, same value
        r = client.post(url, {"item": item.pk, "result": "K"}, **hx)
        assert r.status_code == 200 and 'aria-pressed="true"' in r.content.decode()
    client.post(url, {"item": item.pk, "note": "Rapi dan sesuai SOP"}, **hx)
    row = ItemResult.objects.get()
    assert (row.result, row.note) == ("K", "Rapi dan sesuai SOP")  # the note kept the K
    # Without JavaScript: a plain post goes back to the screen.
    r = client.post(url, {"item": item.pk, "result": "BK"})
    assert r.status_code == 302 and f"#item-{item.pk}" in r["Location"]
    page = client.get(reverse("assessment:fill_instrument", args=[case.pk, version.pk])).content.decode()
    assert "Rapi dan sesuai SOP" in page and 'value="BK" class="btn btn-lg btn-danger"' in page
    # One log entry for starting the instrument (not one per tap or note), and one for changing the K to BK.
    logged = list(ActionLog.objects.filter(act="record_evidence").order_by("pk").values_list("data", flat=True))
    assert len(logged) == 2
    assert (logged[1]["item"], logged[1]["result_before"], logged[1]["result_after"]) == (item.pk, "K", "BK")
    state = O.state_of(case, version)
    assert (state["state"], state["done"], state["bk"]) == ("in_progress", 1, 1)


def test_only_the_cases_assessor_while_assessing(client, case, assessor, other_assessor, candidate, admin_user,
                                                make_case):
    item = ia01(case).items.first()
    for user in (other_assessor.user, candidate, admin_user):
        with pytest.raises(NotAllowed):
            O.save_item_result(case, user, item_id=item.pk, result="K")
        client.force_login(user)
        assert client.post(reverse("assessment:save_item", args=[case.pk]),
                           {"item": item.pk, "result": "K"}).status_code == 403
        assert client.get(reverse("assessment:day", args=[case.pk])).status_code == 403
    ready = make_case("ready")
    with pytest.raises(WorkflowError, match="status"):
        O.save_item_result(ready, assessor.user, item_id=item.pk, result="K")
    with pytest.raises(WorkflowError):
        O.save_item_result(case, assessor.user, item_id=item.pk, result="X")
    not_in_plan = next(v for v in S.I.validated_versions(case.scheme) if v.instrument.form == "IA.09").items.first()
    with pytest.raises(WorkflowError, match="rencana"):
        O.save_item_result(case, assessor.user, item_id=not_in_plan.pk, result="K")
    assert not ItemResult.objects.exists()


def test_candidate_page_lists_every_instrument_of_the_plan(client, case, assessor):
    give_evidence(case, assessor.user)
    client.force_login(assessor.user)
    body = client.get(reverse("assessment:day", args=[case.pk])).content.decode()
    for v in O.plan_versions(case):
        assert v.code in body
    assert 'data-state="done"' in body and 'data-state="not_started"' in body  # IA.01 ticked, IA.07 not
    assert reverse("assessment:day", args=[case.pk]) in client.get(case.get_absolute_url()).content.decode()


# --- roll-up -------------------------------------------------------------------------------------------


def test_rollup_rules(case, assessor):
    rolled = rollup.rollup(case)
    assert all(u["result"] is None for u in rolled["units"]) and rolled["overall"] == "BK"
    units = list(case.scheme.units.all())
    first_kuk = units[0].elements.first().criteria.first()
    give_evidence(case, assessor.user, bk=[first_kuk])
    rolled = rollup.rollup(case)
    by_unit = {u["unit"].pk: u for u in rolled["units"]}
    assert by_unit[units[0].pk]["result"] == "BK" and first_kuk in by_unit[units[0].pk]["bk"]
    assert all(by_unit[u.pk]["result"] == "K" for u in units[1:])
    assert rolled["overall"] == "BK"  # one unit is not K
    # A KUK without evidence keeps its unit from K (not BK: incomplete).
    ItemResult.objects.filter(case=case).update(result="K")
    ItemResult.objects.filter(case=case, item__criteria=first_kuk).delete()
    row = next(u for u in rollup.rollup(case)["units"] if u["unit"] == units[0])
    assert row["result"] is None and first_kuk in row["missing"]
    assert rollup.combine(["K", "BK"]) == "BK" and rollup.combine([]) is None and rollup.combine(["K"]) == "K"


def test_registered_source_adds_evidence_and_bk_wins(case, assessor):
    give_evidence(case, assessor.user)
    kuk = case.scheme.units.first().elements.first().criteria.first()
    rollup.register_source("IA.05", lambda c: {kuk.pk: "BK"})
    try:
        row = rollup.rollup(case)["units"][0]
        assert row["result"] == "BK" and any(e["source"] == "FR.IA.05" for e in
                                               row["elements"][0]["criteria"][0]["evidence"])
    finally:
        rollup._SOURCES.pop("IA.05")
    assert rollup.rollup(case)["overall"] == "K"  # without the source: no evidence from it


# --- FR.AK.02 from the roll-up -------------------------------------------------------------------------


def test_ak02_refuses_k_against_the_evidence(case, assessor):
    unit = case.scheme.units.first()
    with pytest.raises(WorkflowError, match="belum ada bukti"):
        S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    kuk = unit.elements.first().criteria.first()
    give_evidence(case, assessor.user, bk=[kuk])
    with pytest.raises(WorkflowError) as exc:
        S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    assert f"KUK {kuk.number} BK" in str(exc.value) and unit.code in str(exc.value)
    case.refresh_from_db()
    assert case.status == "in_assessment" and not AssessmentRecord.all_versions.exists()
    results = all_k(case)
    results[unit.pk]["result"] = "BK"
    rec = S.record_assessment(case, assessor.user, unit_results=results, started_on=TODAY, finished_on=TODAY,
                              follow_up="Ulangi observasi unit pertama")
    assert rec.overall == "BK" and rec.criteria.get(criterion=kuk).result == "BK"
    assert rec.criteria.count() == sum(e.criteria.count() for u in case.scheme.units.all() for e in u.elements.all())
    # Once recorded, the evidence is never changed.
    with pytest.raises(WorkflowError):
        O.save_item_result(case, assessor.user, item_id=ItemResult.objects.first().item_id, result="K")


def test_ak02_page_is_filled_from_the_rollup(client, case, assessor):
    give_evidence(case, assessor.user)
    client.force_login(assessor.user)
    body = client.get(reverse("assessment:record_assessment", args=[case.pk])).content.decode()
    unit = case.scheme.units.first()
    assert f'data-unit-evidence="{unit.pk}"' in body and "FR.IA.01 #" in body
    assert f'name="u{unit.pk}_result" value="K"' in body and "checked" in body


# --- never edited: corrections -------------------------------------------------------------------------


def test_ak02_correction_is_a_new_record_with_reason(client, case, assessor, candidate):
    give_evidence(case, assessor.user)
    first = S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY,
                                finished_on=TODAY)
    with pytest.raises(WorkflowError, match="alasan"):
        S.correct_assessment(case, assessor.user, reason="", unit_results=all_k(case), started_on=TODAY,
                             finished_on=TODAY)
    results = all_k(case)
    results[case.scheme.units.first().pk]["result"] = "BK"
    second = S.correct_assessment(case, assessor.user, reason="Salah ketuk pada unit pertama", unit_results=results,
                                  started_on=TODAY, finished_on=TODAY, follow_up="Ulangi")
    first.refresh_from_db()
    assert first.superseded_at and first.overall == "K" and second.supersedes == first
    assert second.correction_reason == "Salah ketuk pada unit pertama"
    assert AssessmentRecord.objects.get() == second and AssessmentRecord.all_versions.count() == 2
    client.force_login(assessor.user)
    for rec in (first, second):
        _pdf_ok(client.get(reverse("assessment:ak02_version_pdf", args=[case.pk, rec.pk])))
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Salah ketuk pada unit pertama" in body
    assert reverse("assessment:ak02_version_pdf", args=[case.pk, first.pk]) in body
    # Once the candidate co-signed (with FR.AK.03), no more corrections.
    AssessmentRecord.objects.update(candidate_signed_at=second.recorded_at)
    with pytest.raises(WorkflowError, match="banding"):
        S.correct_assessment(case, assessor.user, reason="lagi", unit_results=all_k(case), started_on=TODAY,
                             finished_on=TODAY)


def test_ak07_correction_keeps_the_old_one(client, make_case, assessor, other_assessor):
    case = make_case("agreed")
    first = S.record_adjustment(case, assessor.user, data=ak07_data())
    with pytest.raises(WorkflowError, match="alasan"):
        S.record_adjustment(case, assessor.user, data=ak07_data(needed_first=False))
    with pytest.raises(NotAllowed):
        S.record_adjustment(case, other_assessor.user, data=ak07_data(), reason="x")
    second = S.record_adjustment(case, assessor.user, data=ak07_data(needed_first=False), reason="Salah pilih")
    first.refresh_from_db()
    assert first.superseded_at and first.characteristics[0]["needed"] is True  # unchanged
    assert second.supersedes == first and Adjustment.all_versions.count() == 2
    client.force_login(assessor.user)
    _pdf_ok(client.get(reverse("assessment:ak07_version_pdf", args=[case.pk, first.pk])))
    _pdf_ok(client.get(reverse("assessment:ak07_pdf", args=[case.pk])))
    body = client.get(case.get_absolute_url()).content.decode()
    assert "Salah pilih" in body and reverse("assessment:ak07_version_pdf", args=[case.pk, first.pk]) in body


def test_apl02_review_again_needs_a_reason_and_keeps_the_old(make_case, assessor):
    case = make_case("agreed")
    S.recommend_continue(case, assessor.user, note="Bukti cukup")
    case.status = "agreed"  # the case came back to this step (e.g. its event was cancelled)
    case.save()
    with pytest.raises(WorkflowError, match="alasan"):
        S.recommend_stop(case, assessor.user, reason="Bukti palsu")
    case.refresh_from_db()
    assert case.status == "agreed"
    S.recommend_stop(case, assessor.user, reason="Bukti palsu", correction_reason="Ditemukan bukti palsu")
    assert Apl02Review.all_versions.count() == 2
    current = Apl02Review.objects.get()
    assert current.can_continue is False and current.supersedes.note == "Bukti cukup"
    assert current.supersedes.superseded_at is not None
