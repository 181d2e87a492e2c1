"""Schemathesis against the OpenAPI document, in-process on the WSGI app: generated requests (valid and
invalid) with a read-only integrator token and a candidate's token (read and act) never get a server error
nor a response the document does not describe (status, media type, headers, body)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from kompeten.core.models import Role
from kompeten.wsgi import application
from tests.conftest import make_user
from tests.events.helpers import make_case, make_event, publish_ready

from .conftest import token

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance, negative_data_rejection]


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI app, which closes the database connection when a request ends (Django's
    test client switches that off). Inside the test's transaction that would lose the test database on
    PostgreSQL: keep the connection, as the test client does."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(scheme, site, admin_user, candidate, assessor):
    from kompeten.events import services as event_services

    event = publish_ready(make_event(scheme, site), assessor, admin_user)
    case = make_case(candidate, scheme, "accepted")
    event_services.schedule_case(case, admin_user, event=event, assessor=assessor)
    make_case(make_user("siti", Role.CANDIDATE), scheme, "submitted")
    return {"integrator": token(admin_user, "read"), "candidate": token(candidate, "write")}


# Loaded at collection: the document needs no database (it is public, like the docs page).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
# Bounded: the examples and fuzzing phases only (the coverage phase alone sends hundreds of requests per
# operation); the boundaries it would try are covered by tests in test_api.py (huge ids, limits, bad dates).
schema.config.phases.coverage.enabled = False
# Invalid requests break a declared rule; a query parameter the API does not know is ignored, as in any
# HTTP API, so negative cases do not add undeclared ones.
schema.config.generation.update(allow_extra_parameters=False, deterministic=True)


@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much, HealthCheck.data_too_large])
def test_api_conforms_to_its_document(case, api_world):
    for who in ("integrator", "candidate"):
        case.call_and_validate(headers={"Authorization": f"Bearer {api_world[who]}"}, checks=CHECKS)
