"""How other apps read assessment events: the one place that knows how an event is stored and related."""

from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kompeten.cases.workflow import CaseStatus, EventStatus
from kompeten.core.models import Role
from kompeten.events.models import AssessmentEvent, EventAssessor


def get_event(pk, *related):
    """The event `pk` (404 when there is none) with its scheme and TUK."""
    return get_object_or_404(AssessmentEvent.objects.select_related("scheme", "site", *related), pk=pk)


def _scope(user, role):
    if role == Role.ASSESSOR:
        return Q(assignments__assessor__user=user)
    if role == Role.TUK_HEAD:
        return Q(site__role_assignments__user=user, site__role_assignments__role=Role.TUK_HEAD)
    return Q()


def events_in_reach(user, role, statuses, limit=25):
    """Events in `statuses` on which `user` holds `role`, the soonest first (for work queues)."""
    return (AssessmentEvent.objects.filter(_scope(user, role), status__in=statuses)
            .select_related("scheme", "site").distinct().order_by("starts_at", "pk")[:limit])


def upcoming_events(scheme):
    """Published events of the scheme that have not started, with the seats left (quota − placed cases)."""
    return (AssessmentEvent.objects.filter(scheme=scheme, status=EventStatus.PUBLISHED, starts_at__gt=timezone.now())
            .select_related("site")
            .annotate(placed=Count("cases", filter=~Q(cases__status=CaseStatus.WITHDRAWN)))
            .annotate(seats_left=F("quota") - F("placed")).order_by("starts_at"))


def assignments_of(assessor, limit=50):
    """The events an assessor was assigned to (surat tugas), newest first."""
    return (EventAssessor.objects.filter(assessor=assessor).select_related("event__scheme", "event__site")
            .order_by("-event__starts_at")[:limit])


EVENT_STAFF = {Role.ADMIN, Role.LSP_HEAD, Role.COMMITTEE, Role.LEAD_ASSESSOR}


def staff_events(user):
    """The events on the staff's list (events:list): all for LSP staff, an assessor's assigned events, the
    events at a TUK head's TUK; None for a person who has no such list."""
    roles = user.role_set()
    if roles & EVENT_STAFF:
        return AssessmentEvent.objects.all()
    if not roles & {Role.ASSESSOR, Role.TUK_HEAD}:
        return None
    q = Q(pk__in=[])
    if Role.ASSESSOR in roles:
        q |= Q(assignments__assessor__user=user)
    if Role.TUK_HEAD in roles:
        q |= Q(site__role_assignments__user=user, site__role_assignments__role=Role.TUK_HEAD)
    return AssessmentEvent.objects.filter(q).distinct()


def events_visible_to(user):
    """Events a person may see: the staff's list (staff_events), and for everyone the events the public
    brochure shows (published, not started yet) and the events of their own cases."""
    if not getattr(user, "is_authenticated", False):
        return AssessmentEvent.objects.none()
    q = Q(status=EventStatus.PUBLISHED, starts_at__gt=timezone.now()) | Q(cases__candidate=user)
    staff = staff_events(user)
    if staff is not None:
        q |= Q(pk__in=staff.values("pk"))
    return AssessmentEvent.objects.filter(q).distinct().select_related("scheme", "site")
