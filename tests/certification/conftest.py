import pytest

from kompeten.certification import services

from .helpers import make_case, make_event, recommend


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site)


@pytest.fixture
def case(candidate, scheme, assessor, event):
    return make_case(candidate, scheme, assessor, event)


@pytest.fixture
def cert(case, committee, candidate, admin_user, monkeypatch):
    """An issued certificate: K recommended, decided by the committee, the agreement signed, issued."""
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    services.sign_holder_agreement(case, candidate)
    return services.issue_certificate(case, admin_user)
