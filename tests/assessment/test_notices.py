"""Notices asking for an act end when the act is done (through the workflow), and are written in the
recipient's language whoever triggers them."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from kompeten.assessment import services as S
from kompeten.core.models import Notification, Role
from tests.assessment.conftest import ak03_answers, all_k
from tests.conftest import make_user

TODAY = dt.date(2026, 12, 2)
REVIEW = {"principles": {"rencana": ["validitas"], "implementasi": ["adil"]}, "dimensions": ["task"],
          "principles_recommendation": "—", "comments": "Sesuai"}


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def assessed(make_case, assessor, deliver):
    case = make_case("in_assessment")
    deliver(S.record_assessment, case, assessor.user, unit_results=all_k(case), started_on=TODAY, finished_on=TODAY)
    case.refresh_from_db()
    return case


@pytest.fixture
def reviewed(assessed, assessor, candidate, deliver):
    deliver(S.give_feedback, assessed, assessor.user, text="ok")
    deliver(S.give_feedback, assessed, candidate, answers=ak03_answers())
    deliver(S.review_assessment, assessed, assessor.user, data=REVIEW)
    assessed.refresh_from_db()
    return assessed


def badge(client, user):
    client.force_login(user)
    return client.get(reverse("home")).context["unread_notifications"]


def test_tuk_heads_notice_leaves_the_badge_once_the_report_is_forwarded(client, reviewed, assessor, tuk_head, site,
                                                                        deliver):
    second_head = make_user("ketuatuk2", Role.TUK_HEAD, site=site)
    deliver(S.submit_report, reviewed, assessor.user, data={"aspects": "Asesi siap"})
    assert badge(client, tuk_head) == 1 and badge(client, second_head) == 1
    deliver(S.forward_report, reviewed, tuk_head, note="Lengkap")
    # Done for him and for the other head of the TUK, who no longer has anything to forward.
    assert badge(client, tuk_head) == 0 and badge(client, second_head) == 0
    n = Notification.objects.get(recipient=tuk_head)
    assert n.done_at is not None and n.read_at is None
    body = client.get(reverse("inbox")).content.decode()
    assert n.title in body and "Selesai" in body


def test_notice_for_the_committee_stays_until_decided_and_informational_ones_until_read(
        client, reviewed, assessor, tuk_head, committee, candidate, deliver):
    deliver(S.submit_report, reviewed, assessor.user, data={"aspects": "Asesi siap"})
    deliver(S.forward_report, reviewed, tuk_head)
    decision = Notification.objects.get(recipient=committee)
    assert decision.asks and decision.done_at is None and badge(client, committee) == 1
    # The candidate's "record made, give your FR.AK.03" notice ended when she gave it; the assessor's
    # "new feedback" notice asks nothing and stays in his badge although his acts went on.
    mine = Notification.objects.get(recipient=candidate, title__contains="FR.AK.03")
    assert mine.done_at is not None
    info = Notification.objects.get(recipient=assessor.user, title__contains="Umpan balik")
    assert info.asks == "" and info.done_at is None and info.read_at is None


def test_candidates_feedback_notice_is_not_ended_by_the_assessors_feedback(assessed, assessor, candidate, deliver):
    n = Notification.objects.get(recipient=candidate, title__contains="FR.AK.03")
    deliver(S.give_feedback, assessed, assessor.user, text="ok")
    n.refresh_from_db()
    assert n.done_at is None
    deliver(S.give_feedback, assessed, candidate, answers=ak03_answers())
    n.refresh_from_db()
    assert n.done_at is not None


def test_english_recipient_gets_english_from_an_indonesian_actor(reviewed, assessor, tuk_head, committee,
                                                                 admin_user, deliver):
    committee.language = "en"
    committee.save()
    deliver(S.submit_report, reviewed, assessor.user, data={"aspects": "Asesi siap"})
    with translation.override("id"):  # the head of the TUK works in Indonesian
        deliver(S.forward_report, reviewed, tuk_head)
    title = {n.recipient_id: n.title for n in Notification.objects.filter(title__contains=reviewed.number,
                                                                           recipient__in=[committee, admin_user])}
    assert title[committee.pk] == f"Application {reviewed.number} awaits the committee's decision"
    assert title[admin_user.pk] == f"Permohonan {reviewed.number} menunggu keputusan komite"


def test_indonesian_recipient_gets_indonesian_from_an_english_actor(reviewed, assessor, tuk_head, deliver):
    assessor.user.language = "en"
    assessor.user.save()
    with translation.override("en"):  # the assessor's request runs in English
        deliver(S.submit_report, reviewed, assessor.user, data={"aspects": "Asesi siap"})
    n = Notification.objects.get(recipient=tuk_head)
    assert n.title == f"Laporan asesmen (FR.AK.05) {reviewed.number} menunggu diteruskan ke LSP"
