"""FR.AK.05 printed per assessor for a whole event (S4.5), shown on the event page."""

import datetime as dt

from django.urls import reverse

from kompeten.assessment import services as S
from kompeten.core.models import Role
from tests.assessment.conftest import ak03_answers, all_k
from tests.conftest import make_user

TODAY = dt.date(2026, 12, 2)


def reported(case, assessor, candidate):
    S.record_assessment(case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    S.give_feedback(case, assessor.user, text="ok")
    S.give_feedback(case, candidate, answers=ak03_answers())
    S.review_assessment(case, assessor.user, data={"principles": {"rencana": ["validitas"]}, "dimensions": ["task"],
                                                   "comments": "-"})
    S.submit_report(case, assessor.user, data={"aspects": "Siap", "suggestions": "-"})


def test_event_report_lists_every_candidate_of_the_assessor(client, make_case, event, assessor, candidate,
                                                            admin_user, other_assessor):
    second = make_user("ani", Role.CANDIDATE)
    for who in (candidate, second):
        reported(make_case("in_assessment", candidate=who), assessor, who)
    url = reverse("assessment:event_ak05_pdf", args=[event.pk, assessor.pk])
    for user in (admin_user, assessor.user):
        client.force_login(user)
        resp = client.get(url)
        assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf" and len(resp.content) > 1000
    page = client.get(reverse("events:detail", args=[event.pk])).content.decode()
    assert url in page and "2 asesi" in page
    client.force_login(other_assessor.user)
    assert client.get(url).status_code == 403
    client.force_login(candidate)
    assert client.get(url).status_code == 403


def test_no_report_yet_is_said_plainly(client, event, assessor, admin_user):
    client.force_login(admin_user)
    resp = client.get(reverse("assessment:event_ak05_pdf", args=[event.pk, assessor.pk]),
                      HTTP_REFERER=reverse("events:detail", args=[event.pk]))
    assert resp.status_code == 302
    assert "Belum ada FR.AK.05" in client.get(resp.url).content.decode()
