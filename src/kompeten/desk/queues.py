"""What waits for whom: derived from the workflow table, so a new act shows up on home pages by itself."""

from kompeten.cases.selectors import cases_in_reach
from kompeten.cases.workflow import CASE_FLOW, EVENT_FLOW, allowed_acts
from kompeten.core.models import Role
from kompeten.events.selectors import events_in_reach

# Ways out (withdraw, cancel, ask for another date) and rights (appeal) are buttons on the page, not work that
# waits for someone.
ESCAPES = {"withdraw", "cancel_event", "request_reschedule", "lodge_appeal"}

ROLE_ORDER = [Role.CANDIDATE, Role.ASSESSOR, Role.LEAD_ASSESSOR, Role.TUK_HEAD, Role.ADMIN, Role.COMMITTEE,
              Role.LSP_HEAD]


def work_for(user, limit=25):
    """[(role, [(obj, [acts])])] for each role the user holds: the cases and events that wait for them."""
    sections = []
    for role in [r for r in ROLE_ORDER if r in user.role_set()]:
        items = []
        statuses = {s for a in CASE_FLOW if role in a.roles and not a.auto for s in a.sources}
        for case in cases_in_reach(user, role, statuses, limit):
            acts = [a for a in allowed_acts(user, case) if role in a.roles and a.code not in ESCAPES]
            if acts:
                items.append((case, acts))
        statuses = {s for a in EVENT_FLOW if role in a.roles and not a.auto for s in a.sources}
        for event in events_in_reach(user, role, statuses, limit):
            acts = [a for a in allowed_acts(user, event) if role in a.roles and a.code not in ESCAPES]
            if acts:
                items.append((event, acts))
        sections.append((Role(role), items))
    return sections
