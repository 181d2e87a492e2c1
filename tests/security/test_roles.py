"""Issue 12, Access: role changes are acts (admin, a reason, logged, the person told, never on oneself); the
person who decided on a case does not also issue its certificate."""

import pytest

from kompeten.certification import services as cert_services
from kompeten.certification.models import Certificate
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import Notification, Role, RoleAssignment
from kompeten.core.roles import grant_role, revoke_role
from tests.certification.helpers import make_case, make_event, recommend
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _deliver_at_once(monkeypatch):
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda fn, using=None, robust=False: fn())


def test_admin_gives_and_removes_a_role_with_a_reason_logged_and_the_person_told(admin_user, assessor):
    person = assessor.user
    grant_role(person, admin_user, role=Role.COMMITTEE, reason="SK Ketua LSP No. 12/2026")
    assert RoleAssignment.objects.filter(user=person, role=Role.COMMITTEE).exists()
    entry = history(person).get(act="grant_role")
    assert entry.actor == admin_user and entry.reason == "SK Ketua LSP No. 12/2026"
    assert entry.data["role"] == Role.COMMITTEE
    assert Notification.objects.filter(recipient=person, title__icontains="peran").exists()

    revoke_role(person, admin_user, role=Role.COMMITTEE, reason="Masa tugas berakhir")
    assert not RoleAssignment.objects.filter(user=person, role=Role.COMMITTEE).exists()
    assert history(person).get(act="revoke_role").reason == "Masa tugas berakhir"
    assert Notification.objects.filter(recipient=person).count() == 2


def test_nobody_changes_their_own_roles(admin_user):
    with pytest.raises(NotAllowed, match="sendiri"):
        grant_role(admin_user, admin_user, role=Role.COMMITTEE, reason="Saya butuh")
    with pytest.raises(NotAllowed, match="sendiri"):
        revoke_role(admin_user, admin_user, role=Role.ADMIN, reason="Berhenti")
    assert set(admin_user.roles.values_list("role", flat=True)) == {Role.ADMIN}
    assert not history(admin_user).exists()


def test_role_change_needs_an_admin_and_a_reason(admin_user, committee, candidate, tuk_head):
    with pytest.raises(NotAllowed, match="Admin LSP"):
        grant_role(candidate, committee, role=Role.COMMITTEE, reason="Rapat")
    with pytest.raises(WorkflowError, match="Alasan"):
        grant_role(candidate, admin_user, role=Role.COMMITTEE, reason="  ")
    with pytest.raises(WorkflowError, match="TUK"):
        grant_role(candidate, admin_user, role=Role.TUK_HEAD, reason="Ketua baru")
    with pytest.raises(WorkflowError, match="tidak memegang"):
        revoke_role(candidate, admin_user, role=Role.LSP_HEAD, reason="Salah")
    assert set(candidate.roles.values_list("role", flat=True)) == {Role.CANDIDATE}
    assert not history(candidate).filter(act__in=["grant_role", "revoke_role"]).exists()


def test_who_decided_does_not_issue_the_certificate(scheme, site, assessor, candidate, lsp_head):
    both = make_user("ganda", Role.COMMITTEE)
    RoleAssignment.objects.create(user=both, role=Role.LSP_HEAD)
    case = make_case(candidate, scheme, assessor, make_event(scheme, site))
    recommend(case, "K")
    cert_services.decide_competent(case, both)
    cert_services.sign_holder_agreement(case, candidate)
    with pytest.raises(WorkflowError, match="diterbitkan oleh orang lain"):
        cert_services.issue_certificate(case, both)
    case.refresh_from_db()
    assert case.status == "competent" and not Certificate.objects.exists()
    cert_services.issue_certificate(case, lsp_head)
    assert Certificate.objects.get().issued_by == lsp_head
