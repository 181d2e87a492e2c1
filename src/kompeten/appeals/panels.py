"""The appeal panel on the case page (registered in apps.py)."""

from kompeten.cases.workflow import roles_for
from kompeten.core.models import Role

from . import selectors, services


def appeal_closed(case, user):
    """Done-check for lodge_appeal: the button shows only while the candidate may appeal."""
    return not services.appeal_window(case).open


def case_panel(case, user):
    mine = roles_for(user, case)
    is_candidate = Role.CANDIDATE in mine
    if not (is_candidate or services.is_staff(user) or mine & {Role.COMMITTEE}):
        return None
    appeals = selectors.appeals_of_case(case)
    window = services.appeal_window(case) if is_candidate else None
    if not appeals and not (window and (window.open or window.deadline)):
        return None
    return {"case": case, "appeals": appeals, "window": window, "is_candidate": is_candidate}
