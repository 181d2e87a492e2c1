"""Item-analysis flags (items outside 0.30–0.90 difficulty or with discrimination below 0.20) reach the reviews
that act on them: the FR.VA of the instrument's next version and the FR.AK.06 of a case that took the test."""

import pytest
from django.urls import reverse

from kompeten.assessment import instruments as I
from kompeten.assessment import services as S
from kompeten.assessment import written_test as WT
from kompeten.assessment.models import AssessmentPlan
from tests.assessment.conftest import ak03_answers
from tests.conftest import make_user
from tests.pdftext import pdf_text


@pytest.fixture
def taken(make_case, event, muk, assessor, candidate):
    """Five candidates took the written test: item 1 answered right by all (p = 1.00, too easy), item 2 by
    nobody (p = 0.00, too hard); the other items right for the better candidates only (well discriminating)."""
    plan = AssessmentPlan.objects.create(event=event, version=1, status="approved", submitted_by=assessor.user)
    plan.instrument_versions.set(muk)
    cases = [make_case("in_assessment")] + [
        make_case("in_assessment", candidate=make_user(f"peserta{n}", "candidate")) for n in range(4)]
    version = next(v for v in muk if v.instrument.form == "IA.05")
    items = list(version.items.order_by("order"))
    for n, c in enumerate(cases):
        WT.start_test(c, c.candidate)
        for m, item in enumerate(items):
            key = item.payload["key"]
            right = m == 0 or (m != 1 and n < 3 and m % 5 != n)
            WT.save_answer(c, c.candidate, item_id=item.pk, choice=key if right else (key + 1) % 3)
        WT.submit_test(c, c.candidate)
    return {"cases": cases, "version": version, "items": items}


def test_flagged_items_of_a_taken_version(taken):
    flags = WT.flagged_items(taken["version"])
    assert flags["n"] == 5 and flags["source"] == taken["version"]
    by_order = {it["order"]: it for it in flags["items"]}
    first, second = taken["items"][0].order, taken["items"][1].order
    assert by_order[first]["p"] == 1.0 and any("terlalu mudah" in f for f in by_order[first]["flags"])
    assert by_order[second]["p"] == 0.0 and any("terlalu sukar" in f for f in by_order[second]["flags"])
    assert WT.flagged_items(next(v for v in taken["version"].instrument.versions.all())) is not None
    essay = I.latest_version(next(i for i in I.instruments_of(taken["version"].instrument.scheme) if i.form == "IA.06"))
    assert WT.flagged_items(essay) is None


def test_the_next_versions_fr_va_shows_the_flags_and_proposes_them_as_findings(taken, client, admin_user,
                                                                             lead_assessor):
    version = taken["version"]
    item = taken["items"][0]
    # editing the used version makes version 2, whose FR.VA must see why version 1's items were flagged
    new = I.save_item(version, admin_user, text=item.text + " (diperbaiki)", payload=item.payload,
                      criteria=[c.pk for c in item.criteria.all()], item_id=item.pk)
    assert new.pk != version.pk and new.based_on_id == version.pk
    client.force_login(lead_assessor)
    page = client.get(reverse("assessment:instrument_validate", args=[new.pk]))
    body = page.content.decode()
    assert f'data-item-flags="{new.pk}"' in body and "terlalu mudah" in body and "terlalu sukar" in body
    initial = page.context["form"].initial
    assert f"butir {item.order}" in initial["finding_1"] and version.code in initial["finding_1"]
    # the version's own FR.VA print carries the flags as an appendix
    pdf = client.get(reverse("assessment:instrument_va_pdf", args=[version.pk])).content
    text = " ".join(pdf_text(pdf).split())
    assert "Lampiran: butir soal tertulis yang ditandai analisis butir" in text
    assert "terlalu mudah" in text and "dari jawaban 5 asesi" in text


def test_ak06_review_shows_the_flags_of_the_cases_written_test(taken, client, assessor):
    from django.utils import timezone

    case = taken["cases"][0]
    today = timezone.localdate()
    units = {u.pk: {"methods": ["observasi"], "result": "BK"} for u in case.scheme.units.all()}
    S.record_assessment(case, assessor.user, unit_results=units, started_on=today, finished_on=today,
                        follow_up="Pelajari ulang.")
    S.give_feedback(case, assessor.user, text="Baik")
    S.give_feedback(case, case.candidate, answers=ak03_answers())
    client.force_login(assessor.user)
    body = client.get(reverse("assessment:review", args=[case.pk])).content.decode()
    assert f'data-item-flags="{taken["version"].pk}"' in body and "terlalu mudah" in body
    S.review_assessment(case, assessor.user, data={"principles": {"rencana": ["adil"]}, "dimensions": ["task"]})
    text = " ".join(pdf_text(client.get(reverse("assessment:ak06_pdf", args=[case.pk])).content).split())
    assert "Lampiran: butir soal tertulis yang ditandai analisis butir" in text and "terlalu sukar" in text
