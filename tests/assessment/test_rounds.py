"""Assessment rounds: an upheld appeal that orders a new assessment opens round 2, whose evidence (the assessor's
item results, the written test) is recorded apart from round 1's; round 1's stays as it was, readable; the
roll-up and FR.AK.02 use the current round only."""

import pytest
from django.utils import timezone

from kompeten.assessment import observation as O
from kompeten.assessment import rollup, rounds
from kompeten.assessment import services as S
from kompeten.assessment import written_test as WT
from kompeten.assessment.models import AssessmentPlan, AssessmentRound, ItemResult, WrittenAttempt
from kompeten.certification import services as cert_services
from kompeten.core.errors import WorkflowError
from tests.assessment.conftest import give_evidence


@pytest.fixture
def plan(event, muk, assessor):
    p = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    p.instrument_versions.set(muk)
    return p


def _all(case, value):
    return {u.pk: {"methods": ["observasi"], "result": value} for u in case.scheme.units.all()}


@pytest.fixture
def reopened(make_case, plan, candidate, assessor, lsp_head):
    """Round 1 done (observation all K, the written test taken and submitted blank, FR.AK.02 BK), then an
    upheld appeal reopens the case for a new assessment."""
    case = make_case("in_assessment")
    WT.start_test(case, candidate)
    WT.submit_test(case, candidate)
    today = timezone.localdate()
    S.record_assessment(case, assessor.user, unit_results=_all(case, "BK"), started_on=today, finished_on=today,
                        follow_up="Ulangi tes tertulis.")
    case.refresh_from_db()
    cert_services.reopen_for_assessment(case, lsp_head, reason="Banding dikabulkan: soal tidak sesuai.", ref="BDG/1")
    case.refresh_from_db()
    return case


def test_a_case_starts_in_round_one(make_case, plan):
    case = make_case("in_assessment")
    assert rounds.current_round(case) == 1 and not AssessmentRound.objects.exists()
    assert [r["number"] for r in rounds.rounds_of(case)] == [1]


def test_reopening_opens_round_two_and_keeps_round_one_as_it_was(reopened, candidate, assessor):
    case = reopened
    assert case.status == "in_assessment" and rounds.current_round(case) == 2
    r2 = AssessmentRound.objects.get(case=case)
    assert r2.number == 2 and "soal tidak sesuai" in r2.reason and r2.opened_by is not None
    assert [(r["number"], r["current"]) for r in rounds.rounds_of(case)] == [(1, False), (2, True)]
    old_rows = {(r.item_id, r.result) for r in ItemResult.objects.filter(case=case)}
    assert old_rows and all(r.round == 1 for r in ItemResult.objects.filter(case=case))
    old_attempt = WrittenAttempt.objects.get(case=case, round=1)

    # the new round starts empty: no evidence, so nothing may be K yet
    rolled = rollup.rollup(case)
    assert all(u["result"] is None for u in rolled["units"])
    assert WT.attempt_of(case) is None and WT.attempt_of(case, round=1) == old_attempt
    assert not WT.nothing_to_take(case)  # the candidate takes the written test again
    version = next(v for v in O.plan_versions(case) if v.instrument.form == "IA.01")
    assert O.state_of(case, version)["state"] == "not_started"
    assert O.state_of(case, version, round=1)["state"] != "not_started"
    today = timezone.localdate()
    with pytest.raises(WorkflowError):  # round 1's K do not count for round 2
        S.record_assessment(case, assessor.user, unit_results=_all(case, "K"), started_on=today, finished_on=today)

    # ticking in round 2 writes round 2's row; round 1's row is untouched
    item = version.items.first()
    O.save_item_result(case, assessor.user, item_id=item.pk, result="BK", note="Putaran 2")
    assert ItemResult.objects.get(case=case, round=2, item=item).result == "BK"
    assert {(r.item_id, r.result) for r in ItemResult.objects.filter(case=case, round=1)} == old_rows

    # the written test again: a new attempt in round 2; round 1's stays submitted as it was
    new = WT.start_test(case, candidate)
    assert new.pk != old_attempt.pk and new.round == 2 and new.status == "open"
    old_attempt.refresh_from_db()
    assert old_attempt.status == "submitted" and old_attempt.round == 1
    essay = new.answers.filter(item__version__instrument__form="IA.06").first()
    WT.submit_test(case, candidate)
    old_essay = old_attempt.answers.filter(item__version__instrument__form="IA.06").first()
    with pytest.raises(WorkflowError):  # an earlier round's answer is not marked any more
        WT.mark_essay(case, assessor.user, answer_id=old_essay.pk, mark="K")
    WT.mark_essay(case, assessor.user, answer_id=essay.pk, mark="K")

    # round 2's evidence on every KUK makes the new FR.AK.02 possible; it points at round 1's record
    ItemResult.objects.filter(case=case, round=2).delete()
    give_evidence(case, assessor.user)
    assert all(r.round in (1, 2) for r in ItemResult.objects.filter(case=case))
    assert ItemResult.objects.filter(case=case, round=2).count() == ItemResult.objects.filter(case=case, round=1).count()
    assert rounds.check_round(case, 1) == 1
    with pytest.raises(WorkflowError):
        rounds.check_round(case, 3)


def test_each_round_prints_its_own_evidence_and_the_earlier_stays_printable(reopened, client, assessor, candidate):
    from django.urls import reverse

    from tests.pdftext import pdf_text

    case = reopened
    version = next(v for v in O.plan_versions(case) if v.instrument.form == "IA.01")
    item = version.items.order_by("order").first()
    ItemResult.objects.filter(case=case, round=1, item=item).update(note="Catatan putaran satu")
    O.save_item_result(case, assessor.user, item_id=item.pk, result="BK", note="Catatan putaran dua")
    client.force_login(assessor.user)

    def text(n):
        r = client.get(reverse("assessment:case_instrument_pdf", args=[case.pk, version.pk, n]))
        assert r.status_code == 200
        return " ".join(pdf_text(r.content).split())

    one, two = text(1), text(2)
    assert "putaran asesmen 1" in one and "Catatan putaran satu" in one and "Catatan putaran dua" not in one
    assert "putaran asesmen 2" in two and "Catatan putaran dua" in two and "Catatan putaran satu" not in two
    # the assessment page offers round 1's prints as read-only, round 2's as the current one
    page = client.get(reverse("assessment:day", args=[case.pk])).content.decode()
    assert reverse("assessment:case_instrument_pdf", args=[case.pk, version.pk, 1]) in page
    assert reverse("assessment:case_instrument_pdf", args=[case.pk, version.pk, 2]) in page
    assert 'data-round="1"' in page
    # the candidate finds the round 1 answer sheet of the written test on the case page
    ia05 = next(v for v in O.plan_versions(case) if v.instrument.form == "IA.05")
    client.force_login(candidate)
    body = client.get(case.get_absolute_url()).content.decode()
    assert reverse("assessment:case_instrument_pdf", args=[case.pk, ia05.pk, 1]) in body
    assert reverse("assessment:case_instrument_pdf", args=[case.pk, version.pk, 1]) not in body
