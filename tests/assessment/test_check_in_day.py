"""S3.1 on the day, not before: the check-in (present or absent) is refused before the event's local date,
nobody is marked present beforehand, and the head of the TUK checks a whole list in with one submit."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from kompeten.assessment import services as S
from kompeten.assessment.models import Attendance
from kompeten.cases.models import Case
from kompeten.cases.workflow import allowed_acts, next_steps
from kompeten.core.actions import history
from kompeten.core.dates import format_date
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Role
from kompeten.desk.queues import work_for
from tests.conftest import make_user
from tests.timetravel import on_event_day

pytestmark = pytest.mark.django_db
ITEMS = {k: True for k in ["tuk", "assessors", "equipment", "candidates", "instruments"]}


@pytest.fixture
def ready_event(event, assessor, lead_assessor, admin_user):
    """The plan approved and the resources checked: only the day is missing."""
    from tests.assessment.conftest import plan_data

    S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead_assessor)
    S.check_resources(event, admin_user, items=ITEMS)
    return event


def _radios_checked(html, name):
    return re.findall(rf'<input[^>]*name="{name}"[^>]*checked', html)


def test_check_in_refused_before_the_event_day(ready_event, make_case, tuk_head):
    case = make_case("ready")
    day = format_date(timezone.localdate(ready_event.starts_at))
    for present in (True, False):
        with pytest.raises(WorkflowError, match=f"pada hari uji kompetensi, {day}"):
            S.check_in(case, tuk_head, present=present)
    case.refresh_from_db()
    assert case.status == "ready" and not Attendance.objects.exists()
    assert not ActionLog.objects.filter(act__in=["check_in", "record_absence"]).exists()
    # the same instant one day earlier in local time is still refused; the event day (local) is allowed
    eve = timezone.localtime(ready_event.starts_at).replace(hour=23, minute=30) - dt.timedelta(days=1)
    with on_event_day(ready_event, hours=(eve - ready_event.starts_at).total_seconds() / 3600):
        with pytest.raises(WorkflowError, match="pada hari uji kompetensi"):
            S.check_in(case, tuk_head)
    morning = timezone.localtime(ready_event.starts_at).replace(hour=0, minute=5)
    with on_event_day(ready_event, hours=(morning - ready_event.starts_at).total_seconds() / 3600):
        S.check_in(case, tuk_head)
    case.refresh_from_db()
    assert case.status == "in_assessment"


def test_check_in_button_and_queue_wait_for_the_day(ready_event, make_case, tuk_head, client):
    case = make_case("ready")
    assert "check_in" not in {a.code for a in allowed_acts(tuk_head, case)}
    assert not [obj for role, items in work_for(tuk_head) for obj, _a in items if obj == case]
    step = next(s for s in next_steps(case) if s.act.code == "check_in")
    assert "pada hari uji kompetensi" in str(step.waiting)
    client.force_login(tuk_head)
    html = client.get(case.get_absolute_url()).content.decode()
    assert reverse("assessment:check_in", args=[case.pk]) not in html and "Menunggu:" in html
    with on_event_day(ready_event):
        assert "check_in" in {a.code for a in allowed_acts(tuk_head, case)}
        assert [obj for role, items in work_for(tuk_head) for obj, _a in items if obj == case] == [case]
        assert next(s for s in next_steps(case) if s.act.code == "check_in").waiting is None


def test_check_in_page_preselects_nothing(client, ready_event, make_case, tuk_head):
    case = make_case("ready")
    url = reverse("assessment:check_in", args=[case.pk])
    with on_event_day(ready_event):
        client.force_login(tuk_head)  # a session started days earlier would have ended (idle timeout)
        html = client.get(url).content.decode()
        assert 'value="1"' in html and not _radios_checked(html, "present")
        resp = client.post(url, {"note": ""})
        assert resp.status_code == 200 and "Pilih Hadir atau Tidak hadir" in resp.content.decode()
        case.refresh_from_db()
        assert case.status == "ready" and not Attendance.objects.exists()


def test_check_in_list_one_submit(client, ready_event, make_case, tuk_head, candidate,
                                  django_capture_on_commit_callbacks):
    here, away = make_case("ready"), make_case("ready", candidate=make_user("asesi-b", Role.CANDIDATE))
    undecided = make_case("ready", candidate=make_user("asesi-c", Role.CANDIDATE))
    other = make_case("agreed", candidate=make_user("asesi-d", Role.CANDIDATE))  # not ready: not listed
    url = reverse("assessment:check_in_list", args=[ready_event.pk])
    with on_event_day(ready_event):
        client.force_login(tuk_head)  # a session started days earlier would have ended (idle timeout)
        resp = client.get(url)
        html = resp.content.decode()
        assert resp.status_code == 200
        assert [c for c, *_r in resp.context["rows"]] == [here, away, undecided]
        assert other.number not in html
        for c in (here, away, undecided):
            assert f'name="present_{c.pk}"' in html and not _radios_checked(html, f"present_{c.pk}")
        with django_capture_on_commit_callbacks(execute=True):
            resp = client.post(url, {f"present_{here.pk}": "1", f"present_{away.pk}": "0",
                                     f"note_{away.pk}": "Sakit, surat dokter", f"note_{undecided.pk}": "",
                                     f"present_{other.pk}": "1"})
    assert resp.status_code == 302 and resp.url == ready_event.get_absolute_url()
    for c in (here, away, undecided, other):
        c.refresh_from_db()
    assert here.status == "in_assessment" and history(here).filter(act="check_in", actor=tuk_head).exists()
    assert away.status == "ready" and history(away).get(act="record_absence").reason == "Sakit, surat dokter"
    assert undecided.status == "ready" and not Attendance.objects.filter(case=undecided).exists()
    assert other.status == "agreed" and not Attendance.objects.filter(case=other).exists()


def test_check_in_list_refused_before_the_day_and_for_others(client, ready_event, make_case, tuk_head, assessor,
                                                              candidate, admin_user):
    case = make_case("ready")
    url = reverse("assessment:check_in_list", args=[ready_event.pk])
    for user in (assessor.user, candidate):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {f"present_{case.pk}": "1"}).status_code == 403
    client.force_login(tuk_head)
    html = client.get(url).content.decode()
    assert "pada hari uji kompetensi" in html and "Simpan daftar hadir" not in html
    resp = client.post(url, {f"present_{case.pk}": "1"})
    assert resp.status_code == 200 and "pada hari uji kompetensi" in resp.content.decode()
    case.refresh_from_db()
    assert case.status == "ready" and not Attendance.objects.exists()
    with pytest.raises(NotAllowed):
        S.check_in_list(ready_event, assessor.user, {case.pk: (True, "")})


def test_check_in_list_per_row_errors(ready_event, make_case, tuk_head):
    """One row refused (its candidate was checked in at the door meanwhile) does not stop the others."""
    first, second = make_case("ready"), make_case("ready", candidate=make_user("asesi-b", Role.CANDIDATE))
    with on_event_day(ready_event):
        S.check_in(first, tuk_head)
        done, errors = S.check_in_list(ready_event, tuk_head, {first.pk: (True, ""), second.pk: (True, "")})
    assert [c.pk for c, _p in done] == [second.pk]
    assert list(errors) == [first.pk] and "status saat ini" in str(errors[first.pk])
    assert Case.objects.get(pk=second.pk).status == "in_assessment"
    assert Attendance.objects.filter(case=first).count() == 1


def test_event_page_links_the_list_for_those_who_may(client, ready_event, make_case, tuk_head, admin_user,
                                                     assessor):
    make_case("ready")
    url = reverse("assessment:check_in_list", args=[ready_event.pk])
    for user, shown in ((tuk_head, True), (admin_user, True), (assessor.user, False)):
        client.force_login(user)
        assert (url in client.get(ready_event.get_absolute_url()).content.decode()) is shown, user
