"""An event cannot be marked held before it starts: the service refuses, the button waits, the page says why."""

import pytest
from django.urls import reverse

from kompeten.cases.workflow import allowed_acts, next_steps
from kompeten.core.actions import history
from kompeten.core.errors import WorkflowError
from kompeten.events import services
from tests.events.helpers import make_event, publish_ready
from tests.timetravel import on_event_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(scheme, site, assessor, admin_user):
    return publish_ready(make_event(scheme, site), assessor, admin_user)


def test_hold_event_refused_before_the_start(published, admin_user, tuk_head):
    logged = history(published).count()
    for who in (admin_user, tuk_head):
        with pytest.raises(WorkflowError, match="belum dapat dinyatakan dilaksanakan"):
            services.hold_event(published, who)
    published.refresh_from_db()
    assert published.status == "published" and history(published).count() == logged
    with on_event_day(published, hours=-0.5):  # half an hour before the start: still refused
        with pytest.raises(WorkflowError):
            services.hold_event(published, tuk_head)
    with on_event_day(published, hours=0.1):
        services.hold_event(published, tuk_head)
    published.refresh_from_db()
    assert published.status == "held"


def test_hold_button_waits_for_the_start(client, published, admin_user):
    hold = reverse("events:hold", args=[published.pk])
    assert "hold_event" not in {a.code for a in allowed_acts(admin_user, published)}
    step = next(s for s in next_steps(published) if s.act.code == "hold_event")
    assert "baru dimulai" in str(step.waiting)
    client.force_login(admin_user)
    html = client.get(published.get_absolute_url()).content.decode()
    assert hold not in html and "baru dimulai" in html
    resp = client.post(hold)
    assert resp.status_code == 409 and "belum dapat dinyatakan dilaksanakan" in resp.content.decode()
    with on_event_day(published):
        client.force_login(admin_user)  # two weeks later: a new session
        assert hold in client.get(published.get_absolute_url()).content.decode()
        assert client.post(hold).status_code == 302
    published.refresh_from_db()
    assert published.status == "held"


def test_next_steps_name_only_the_party_still_to_confirm(published, assessor, candidate, admin_user):
    """A two-party act stays a next step only for the party that has not done it yet (done-checks)."""
    from kompeten.events.services import confirm_schedule, schedule_case
    from tests.events.helpers import make_case

    case = make_case(candidate, published.scheme)
    schedule_case(case, admin_user, event=published, assessor=assessor)
    case.refresh_from_db()
    confirm_schedule(case, candidate)
    step = next(s for s in next_steps(case) if s.act.code == "confirm_schedule")
    assert [str(r) for r in step.who] == ["Asesor"]
