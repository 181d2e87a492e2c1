"""What waits for whom: derived from the workflow table, so a new act shows up on home pages by itself."""

from django.db.models import Q

from kompeten.cases.models import Case
from kompeten.cases.workflow import CASE_FLOW, EVENT_FLOW, allowed_acts
from kompeten.core.models import Role
from kompeten.events.models import AssessmentEvent

# Ways out (withdraw, cancel, ask for another date) are buttons on the page, not work that waits for someone.
ESCAPES = {"withdraw", "cancel_event", "request_reschedule"}

ROLE_ORDER = [Role.CANDIDATE, Role.ASSESSOR, Role.LEAD_ASSESSOR, Role.TUK_HEAD, Role.ADMIN, Role.COMMITTEE,
              Role.LSP_HEAD]


def _case_scope(user, role):
    if role == Role.CANDIDATE:
        return Q(candidate=user)
    if role == Role.ASSESSOR:
        return Q(assessor__user=user)
    if role == Role.TUK_HEAD:
        return Q(event__site__role_assignments__user=user, event__site__role_assignments__role=Role.TUK_HEAD)
    if role == Role.COMMITTEE:
        return ~Q(assessor__user=user)
    return Q()


def _event_scope(user, role):
    if role == Role.ASSESSOR:
        return Q(assignments__assessor__user=user)
    if role == Role.TUK_HEAD:
        return Q(site__role_assignments__user=user, site__role_assignments__role=Role.TUK_HEAD)
    return Q()


def work_for(user, limit=25):
    """[(role, [(obj, [acts])])] for each role the user holds: the cases and events that wait for them."""
    sections = []
    for role in [r for r in ROLE_ORDER if r in user.role_set()]:
        items = []
        statuses = {s for a in CASE_FLOW if role in a.roles and not a.auto for s in a.sources}
        cases = (Case.objects.filter(_case_scope(user, role), status__in=statuses)
                 .select_related("candidate", "scheme", "event__site", "assessor__user").distinct()
                 .order_by("updated_at")[:limit])
        for case in cases:
            acts = [a for a in allowed_acts(user, case) if role in a.roles and a.code not in ESCAPES]
            if acts:
                items.append((case, acts))
        statuses = {s for a in EVENT_FLOW if role in a.roles and not a.auto for s in a.sources}
        events = (AssessmentEvent.objects.filter(_event_scope(user, role), status__in=statuses)
                  .select_related("scheme", "site").distinct().order_by("starts_at")[:limit])
        for event in events:
            acts = [a for a in allowed_acts(user, event) if role in a.roles and a.code not in ESCAPES]
            if acts:
                items.append((event, acts))
        sections.append((Role(role), items))
    return sections
