"""A small LSP for the API tests: one published event, cases at known statuses, people in every role."""

import pytest

from kompeten.api import services as token_services
from kompeten.core.models import Role
from tests.cases.helpers import submitted_case
from tests.conftest import make_user
from tests.events.helpers import make_case, make_event, publish_ready


class World:
    pass


@pytest.fixture
def world(scheme, site, admin_user, candidate, assessor):
    from kompeten.events import services as event_services
    from kompeten.people.models import Assessor

    w = World()
    w.scheme, w.site, w.admin, w.budi, w.assessor = scheme, site, admin_user, candidate, assessor
    w.event = publish_ready(make_event(scheme, site), assessor, admin_user)
    w.draft_event = make_event(scheme, site)
    w.budi_case = make_case(candidate, scheme, "accepted")
    event_services.schedule_case(w.budi_case, admin_user, event=w.event, assessor=assessor)
    w.budi_case.refresh_from_db()
    w.siti = make_user("siti", Role.CANDIDATE, first_name="Siti", last_name="Aminah")
    w.siti_case = make_case(w.siti, scheme, "accepted")
    w.rina = make_user("rina", Role.CANDIDATE, first_name="Rina", last_name="Wati")
    w.rina_case = submitted_case(scheme, w.rina)
    agus = make_user("agus", Role.ASSESSOR, first_name="Agus", last_name="Pratama")
    w.assessor2 = Assessor.objects.create(user=agus, met_number="MET.000.000002 2020",
                                          registration_valid_until=assessor.registration_valid_until)
    return w


def token(user, scope="read", name="Integrasi"):
    return token_services.create_token(user, name=name, scope=scope)[1]


def bearer(plain):
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
