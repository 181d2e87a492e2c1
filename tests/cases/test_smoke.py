import pytest

from kompeten.cases import services
from kompeten.cases.printing import apl01_pdf, apl02_pdf

from .helpers import review_items, submitted_case


@pytest.mark.django_db
def test_full_path_renders(scheme, candidate, admin_user):
    case = submitted_case(scheme, candidate)
    assert case.status == "submitted"
    services.review_documents(case, admin_user, items=review_items(scheme), outcome="accepted")
    case.refresh_from_db()
    assert case.status == "accepted"
    assert len(apl01_pdf(case)) > 1000
    assert len(apl02_pdf(case)) > 1000
