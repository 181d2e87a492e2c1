"""The work queue lists a case only when the person can do the act now (its preconditions hold)."""

import pytest
from django.urls import reverse

from kompeten.certification import services
from kompeten.core.models import Role
from kompeten.desk.queues import work_for
from tests.certification.helpers import make_case, make_event, recommend

pytestmark = pytest.mark.django_db


def _queued(user, role):
    return [(obj, [a.code for a in acts]) for r, items in work_for(user) if r == role for obj, acts in items]


def test_lsp_head_queue_lists_a_case_only_once_the_holder_signed(client, candidate, scheme, site, assessor,
                                                                  committee, lsp_head, monkeypatch):
    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "K", monkeypatch=monkeypatch)
    services.decide_competent(case, committee)
    assert _queued(lsp_head, Role.LSP_HEAD) == []
    client.force_login(lsp_head)
    assert case.number not in client.get(reverse("home")).content.decode()
    services.sign_holder_agreement(case, candidate)
    assert _queued(lsp_head, Role.LSP_HEAD) == [(case, ["issue_certificate"])]
    assert case.number in client.get(reverse("home")).content.decode()
