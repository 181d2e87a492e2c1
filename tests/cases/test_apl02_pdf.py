"""The printed FR.APL.02 carries the assessor's S2.5 recommendation (assessment.Apl02Review), or an empty box."""

import pytest
from django.urls import reverse

from kompeten.assessment.models import Apl02Review
from kompeten.cases.printing import apl02_data

from .helpers import submitted_case
from .test_views import login, place_in_event

pytestmark = pytest.mark.django_db


def _pdf(client, user, case):
    resp = login(client, user).get(reverse("cases:apl02_pdf", args=[case.pk]))
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/pdf"
    content = b"".join(resp.streaming_content) if resp.streaming else resp.content
    assert content.startswith(b"%PDF") and len(content) > 1000
    return content


def test_apl02_pdf_without_review(client, scheme, candidate, site, assessor):
    case = submitted_case(scheme, candidate)
    place_in_event(case, site, assessor)
    data = apl02_data(case)
    assert data["recommendation"] == "" and data["note"] == ""
    assert data["assessor"]["name"] == "" and data["assessor"]["signed_at"] == ""
    _pdf(client, candidate, case)


@pytest.mark.parametrize("can_continue", [True, False])
def test_apl02_pdf_with_review(client, scheme, candidate, site, assessor, can_continue):
    case = submitted_case(scheme, candidate)
    place_in_event(case, site, assessor)
    Apl02Review.objects.create(case=case, can_continue=can_continue, note="Bukti portofolio lengkap.",
                               reviewed_by=assessor.user)
    case.refresh_from_db()
    data = apl02_data(case)
    assert data["recommendation"] == ("continue" if can_continue else "stop")
    assert data["note"] == "Bukti portofolio lengkap."
    assert data["assessor"]["name"] == assessor.name
    assert data["assessor"]["reg"] == assessor.met_number
    assert data["assessor"]["signed_at"]
    _pdf(client, assessor.user, case)
