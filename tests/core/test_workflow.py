"""The workflow engine: the table's checks, the lock-change-log pattern, and refusals that change nothing."""

import pytest

from kompeten.cases.models import Case
from kompeten.cases.workflow import (
    ACTS,
    CASE_FLOW,
    EVENT_FLOW,
    allowed_acts,
    check,
    next_steps,
    register_done_check,
    roles_for,
    transition,
)
from kompeten.core.actions import history
from kompeten.core.errors import NotAllowed, WorkflowError
from kompeten.core.models import ActionLog, Role


@pytest.fixture
def case(candidate, scheme):
    return Case.objects.create(number="PMH-2026-99999", candidate=candidate, scheme=scheme, status="submitted")


def test_every_act_is_well_formed():
    statuses = set(Case.Status.values)
    from kompeten.events.models import AssessmentEvent

    event_statuses = set(AssessmentEvent.Status.values)
    for act in CASE_FLOW:
        assert set(act.sources) <= statuses, act.code
        assert act.target is None or act.target in statuses, act.code
        assert act.roles <= set(Role.values), act.code
    for act in EVENT_FLOW:
        assert set(act.sources) <= event_statuses, act.code
        assert act.target is None or act.target in event_statuses, act.code
    assert len(ACTS) == len(CASE_FLOW) + len(EVENT_FLOW), "act codes must be unique"


def test_every_status_but_the_final_ones_has_a_way_forward():
    final = {"not_accepted", "not_continued", "not_competent", "withdrawn", "surveillance"}
    for status in set(Case.Status.values) - final:
        assert any(status in a.sources and a.target not in (None, status) for a in CASE_FLOW), status


def test_transition_changes_status_and_logs(case, admin_user):
    with transition(case, "accept_application", admin_user, reason="lengkap", data={"x": 1}) as locked:
        assert locked.status == "submitted"
    assert case.status == "accepted"
    entry = history(case).get()
    assert (entry.actor, entry.act, entry.reason, entry.data) == (admin_user, "accept_application", "lengkap", {"x": 1})
    assert (entry.status_before, entry.status_after) == ("submitted", "accepted")
    assert str(entry.label) == "Dokumen diterima"


def test_wrong_role_is_refused_and_nothing_changes(case, candidate):
    with pytest.raises(NotAllowed, match="Admin LSP"):
        with transition(case, "accept_application", candidate):
            pass
    case.refresh_from_db()
    assert case.status == "submitted"
    assert not ActionLog.objects.exists()


def test_wrong_status_is_refused_and_nothing_changes(case, candidate):
    with pytest.raises(WorkflowError, match="Menunggu kaji dokumen"):
        with transition(case, "submit_application", candidate):
            pass
    assert Case.objects.get(pk=case.pk).status == "submitted"
    assert not ActionLog.objects.exists()


def test_error_inside_the_act_rolls_everything_back(case, admin_user):
    with pytest.raises(WorkflowError):
        with transition(case, "accept_application", admin_user) as locked:
            locked.purpose_other = "changed"
            locked.save()
            raise WorkflowError("tidak")
    case.refresh_from_db()
    assert (case.status, case.purpose_other) == ("submitted", "")
    assert not ActionLog.objects.exists()


def test_roles_are_relative_to_the_case(case, candidate, admin_user, assessor, committee, make_other_candidate):
    assert roles_for(candidate, case) == {Role.CANDIDATE}
    assert roles_for(make_other_candidate, case) == set()
    assert Role.ADMIN in roles_for(admin_user, case)
    assert Role.ASSESSOR not in roles_for(assessor.user, case)
    case.assessor = assessor
    case.save()
    assert Role.ASSESSOR in roles_for(assessor.user, case)


def test_an_assessor_of_the_case_loses_the_committee_role(case, assessor):
    from kompeten.core.models import RoleAssignment

    RoleAssignment.objects.create(user=assessor.user, role=Role.COMMITTEE)
    case.assessor = assessor
    case.status = "awaiting_decision"
    case.save()
    user = type(assessor.user).objects.get(pk=assessor.user.pk)
    assert Role.COMMITTEE not in roles_for(user, case)
    with pytest.raises(NotAllowed, match="pernah menjadi asesor"):
        check(user, case, "decide_competent")


def test_allowed_acts_and_done_checks(case, admin_user, candidate):
    codes = {a.code for a in allowed_acts(admin_user, case)}
    assert codes == {"accept_application", "return_application", "reject_application"}
    assert {a.code for a in allowed_acts(candidate, case)} == {"withdraw"}
    register_done_check("withdraw", lambda obj, user: True)
    try:
        assert allowed_acts(candidate, case) == []
    finally:
        from kompeten.cases import workflow

        workflow.DONE_CHECKS.pop("withdraw")
    steps = dict((a.code, roles) for a, roles in next_steps(case))
    assert "accept_application" in steps and "complete_confirmation" not in steps


@pytest.fixture
def make_other_candidate(db):
    from tests.conftest import make_user

    return make_user("lain", Role.CANDIDATE)
