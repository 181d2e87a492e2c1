import datetime as dt
import itertools

from django.utils import timezone

from kompeten.cases.models import Case
from kompeten.events.models import AssessmentEvent, FeasibilityItem

_numbers = itertools.count(1)


def future(days=14, hour=9):
    d = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime(d.year, d.month, d.day, hour, 0))


def make_event(scheme, site=None, status="draft", quota=10, days=14):
    n = next(_numbers)
    return AssessmentEvent.objects.create(number=f"JUK-T-{n:03d}", scheme=scheme, site=site, starts_at=future(days),
                                          ends_at=future(days, 16), quota=quota, status=status)


def make_case(candidate, scheme, status="accepted", **kw):
    n = next(_numbers)
    return Case.objects.create(number=f"PS-T-{n:04d}", candidate=candidate, scheme=scheme, status=status, **kw)


def publish_ready(event, assessor, admin_user):
    """Assign the assessor and record every feasibility item, then publish (via the services)."""
    from kompeten.events import services

    services.assign_assessor(event, admin_user, assessor)
    for item in FeasibilityItem.values:
        services.record_feasibility(event, admin_user, item=item, ok=True)
    services.publish_event(event, admin_user)
    event.refresh_from_db()
    return event
