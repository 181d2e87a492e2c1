"""The event page offers only the plan acts that make sense now (done-checks on the workflow table)."""

from kompeten.assessment import services as S
from kompeten.cases.workflow import allowed_acts
from tests.assessment.conftest import plan_data


def codes(user, event):
    event.refresh_from_db()
    return {a.code for a in allowed_acts(user, event)}


def test_plan_acts_follow_the_plan(event, assessor, lead_assessor):
    assert "submit_plan" in codes(assessor.user, event)
    assert not {"approve_plan", "return_plan"} & codes(lead_assessor, event)  # nothing to review yet
    S.submit_plan(event, assessor.user, data=plan_data(event))
    assert "submit_plan" not in codes(assessor.user, event)
    assert {"approve_plan", "return_plan"} <= codes(lead_assessor, event)
    S.return_plan(event, lead_assessor, comments="Tambahkan metode lisan")
    assert "submit_plan" in codes(assessor.user, event)
    assert not {"approve_plan", "return_plan"} & codes(lead_assessor, event)
    S.submit_plan(event, assessor.user, data=plan_data(event))
    S.approve_plan(event, lead_assessor)
    assert "submit_plan" not in codes(assessor.user, event)
    assert not {"approve_plan", "return_plan"} & codes(lead_assessor, event)
