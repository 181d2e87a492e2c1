import pytest

from kompeten.certification import services as cert_services
from tests.certification.helpers import make_case, make_event, recommend


@pytest.fixture
def event(scheme, site):
    return make_event(scheme, site)


@pytest.fixture
def bk_case(candidate, scheme, assessor, event, committee):
    """A case decided Belum Kompeten by the committee after a BK recommendation."""
    case = make_case(candidate, scheme, assessor, event)
    recommend(case, "BK")
    cert_services.decide_not_competent(case, committee, reason="Unit J.620100.016.01 belum kompeten.")
    case.refresh_from_db()
    return case


@pytest.fixture
def recommended_bk(candidate, scheme, assessor, event):
    """A case just assessed, with the assessor's BK recommendation (no decision yet)."""
    case = make_case(candidate, scheme, assessor, event, status="assessed")
    recommend(case, "BK")
    return case


@pytest.fixture(autouse=True)
def _deliver_at_once(monkeypatch):
    """Notices and e-mails are sent on commit; inside a test's transaction, send them as the act runs."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())
