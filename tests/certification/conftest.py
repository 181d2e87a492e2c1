import pytest

from .helpers import make_case, make_event


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site)


@pytest.fixture
def case(candidate, scheme, assessor, event):
    return make_case(candidate, scheme, assessor, event)
